// Code mode's step guard: the program is parsed (acorn, ECMAScript 2025) and a `__moat_tick()`
// call is put at the top of every loop body and function body, so a program that spins forever is
// stopped after MAX_STEPS steps even where no CPU limit is enforced (workerd runs a loaded Worker
// on its caller's thread and does not enforce `limits.cpuMs` locally; Cloudflare does, and the
// runner asks for it too). Every loop iteration and every call passes one of these points, and a
// tick sits outside any try block of the loop it guards, so catching the error cannot outrun it.
import { parse, type Node } from 'acorn';

export const GUARD_PREFIX = '__moat';
const TICK = `${GUARD_PREFIX}_tick();`;

type Insertion = { pos: number; text: string; closer: boolean; rank: number };
type AnyNode = Node & Record<string, unknown>;

const LOOPS = new Set([
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
]);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

export type GuardResult = { ok: true; source: string } | { ok: false; error: string };

/** The body of an async function → an instrumented `async () => {…}` expression's source. */
export function guardProgram(body: string): GuardResult {
  const source = `(async () => {\n${body}\n})`;
  let ast: Node;
  try {
    ast = parse(source, { ecmaVersion: 2025, sourceType: 'script' });
  } catch (err) {
    // acorn's message ends in "(line:column)" of the wrapped source: report the program's line.
    const e = err as Error & { loc?: { line: number; column: number } };
    const where = e.loc ? ` at line ${e.loc.line - 1}, column ${e.loc.column + 1}` : '';
    return { ok: false, error: `SyntaxError: ${e.message.replace(/\s*\(\d+:\d+\)$/, '')}${where}` };
  }
  // The body must stay inside the wrapper: `}); other(); (() => {` would parse as three statements.
  const statements = (ast as AnyNode).body as AnyNode[];
  if (statements.length !== 1 || statements[0]!.end !== source.length) {
    return { ok: false, error: 'SyntaxError: unbalanced braces in the program' };
  }
  const insertions: Insertion[] = [];
  let refusal: string | undefined;
  const visit = (node: AnyNode) => {
    if (refusal) return;
    if (node.type === 'Identifier' && String(node.name).startsWith(GUARD_PREFIX)) {
      refusal = `names starting with ${GUARD_PREFIX} are reserved`;
    } else if (node.type === 'ImportExpression' || node.type === 'MetaProperty') {
      refusal = 'import is not available: call the tools through `tools`';
    }
    if (LOOPS.has(node.type)) wrapStatement(node.body as AnyNode, insertions);
    if (FUNCTIONS.has(node.type)) {
      const fnBody = node.body as AnyNode;
      if (fnBody.type === 'BlockStatement') {
        insertions.push({ pos: fnBody.start + 1, text: TICK, closer: false, rank: 0 });
      } else {
        insertions.push({
          pos: fnBody.start,
          text: `(${TICK.slice(0, -1)}, `,
          closer: false,
          rank: -fnBody.end,
        });
        insertions.push({ pos: fnBody.end, text: ')', closer: true, rank: -fnBody.start });
      }
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) for (const v of value) visitChild(v);
      else visitChild(value);
    }
  };
  const visitChild = (v: unknown) => {
    if (v && typeof v === 'object' && typeof (v as AnyNode).type === 'string') visit(v as AnyNode);
  };
  visit(ast as AnyNode);
  if (refusal) return { ok: false, error: refusal };
  return { ok: true, source: splice(source, insertions) };
}

function wrapStatement(body: AnyNode, insertions: Insertion[]): void {
  if (body.type === 'BlockStatement') {
    insertions.push({ pos: body.start + 1, text: TICK, closer: false, rank: 0 });
    return;
  }
  insertions.push({ pos: body.start, text: `{${TICK}`, closer: false, rank: -body.end });
  insertions.push({ pos: body.end, text: '}', closer: true, rank: -body.start });
}

/**
 * Applies insertions in source order. At one position closers go before openers, inner closers
 * before outer ones (larger start first) and outer openers before inner ones (larger end first).
 */
function splice(source: string, insertions: Insertion[]): string {
  insertions.sort(
    (a, b) => a.pos - b.pos || Number(b.closer) - Number(a.closer) || a.rank - b.rank,
  );
  let out = '';
  let at = 0;
  for (const i of insertions) {
    out += source.slice(at, i.pos) + i.text;
    at = i.pos;
  }
  return out + source.slice(at);
}
