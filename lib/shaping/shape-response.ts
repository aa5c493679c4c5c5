// A tool's response shaped for a model's context (issue 14, docs/runner.md "Response shaping"):
// projected, cut to its budget at structural boundaries, with one note that says what was left out
// and the exact arguments that get the rest. Never an error: the worst case is a shorter answer.
import { CHARS_PER_TOKEN } from '../spec/definition-size';
import { DEFAULT_MAX_TOKENS, type ResponseShaping } from '../spec/response-shaping';
import { cutJson, cutText, type Cut } from './cut-to-budget';
import { pageInfo, type PageInfo } from './pagination';
import { project } from './projection';

export type ShapedJson = {
  /** The value to return: projected and cut. */
  value: unknown;
  /** Its text: the API's own text when nothing changed, else compact JSON. */
  text: string;
  changed: boolean;
  cuts: Cut[];
  page?: PageInfo;
  /** For the model: what was left out and how to get it; undefined when nothing was. */
  note?: string;
};

export function budgetChars(shaping: ResponseShaping | undefined): number {
  return (shaping?.maxTokens ?? DEFAULT_MAX_TOKENS) * CHARS_PER_TOKEN;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const where = (path: string) => (path ? `\`${path}\`` : 'the response');

function describeCut(c: Cut): string {
  if (c.kind === 'items')
    return `showing ${fmt(c.kept)} of ${fmt(c.total)} items of ${where(c.path)}`;
  if (c.kind === 'text') {
    return `${where(c.path)} cut at ${fmt(c.keptChars)} of ${fmt(c.totalChars)} characters`;
  }
  return `left out ${c.omitted.map((k) => `"${k}"`).join(', ')} of ${where(c.path)}`;
}

const leftOut = (c: Cut) =>
  c.kind === 'items'
    ? c.total - c.kept
    : c.kind === 'text'
      ? (c.totalChars - c.keptChars) / 100
      : c.omitted.length;

/** How to get the rest of a page that was cut, when the pagination style allows it. */
function restOfPage(
  shaping: ResponseShaping,
  args: Record<string, unknown>,
  page: PageInfo,
  kept: number,
): string | undefined {
  const p = shaping.pagination;
  if (!p || page.items === undefined || kept >= page.items || kept === 0) return undefined;
  if (p.style === 'offset') {
    const offset = Number(args[p.param] ?? 0);
    const rest = { ...args, [p.param]: offset + kept };
    return `The rest of this page starts at ${JSON.stringify(rest)}.`;
  }
  if (!p.sizeParam) return undefined;
  if (p.style === 'page') {
    const first = p.firstPage ?? 1;
    const pageNo = Number(args[p.param] ?? first);
    const start = (pageNo - first) * page.items + kept;
    if (start % kept === 0) {
      const rest = { ...args, [p.sizeParam]: kept, [p.param]: start / kept + first };
      return `Pages of ${kept} fit: the rest of this page starts at ${JSON.stringify(rest)}.`;
    }
  }
  const smaller = { ...args, [p.sizeParam]: kept };
  return `Pages of ${kept} fit: call again with ${JSON.stringify(smaller)} and follow its next page.`;
}

function composeNote(
  toolName: string,
  shaping: ResponseShaping,
  args: Record<string, unknown>,
  cuts: Cut[],
  page: PageInfo | undefined,
): string | undefined {
  const lines: string[] = [];
  if (cuts.length > 0) {
    const budget = fmt(shaping.maxTokens ?? DEFAULT_MAX_TOKENS);
    // The biggest cuts first; past three, a count (a budget may cut hundreds of strings).
    const shown = [...cuts].sort((a, b) => leftOut(b) - leftOut(a));
    const more = shown.length > 3 ? `; and ${fmt(shown.length - 3)} more cuts` : '';
    const listed = shown.slice(0, 3).map(describeCut).join('; ');
    lines.push(`[Cut to fit the ${budget}-token budget: ${listed}${more}.]`);
    const firstItems = cuts.find((c) => c.kind === 'items');
    const rest = page && firstItems ? restOfPage(shaping, args, page, firstItems.kept) : undefined;
    if (rest) lines.push(rest);
    else {
      const paging = page?.next ? ' The next page does not include them.' : '';
      lines.push(
        `To see what was left out, call again with narrower arguments (a filter or a smaller page).${paging}`,
      );
    }
  }
  if (page?.next) {
    const total = page.total !== undefined ? ` of ${fmt(page.total)}` : '';
    const count =
      page.items !== undefined ? `This page has ${fmt(page.items)} items${total}. ` : '';
    lines.push(`${count}Next page: call ${toolName} with ${JSON.stringify(page.next)}.`);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/**
 * Shapes a parsed JSON response. `text` is the API's text (returned unchanged when no projection
 * applies and it fits); `redact` runs on the projected value before it is cut, so a cut never
 * leaves part of a secret behind.
 */
export function shapeJson(
  toolName: string,
  shaping: ResponseShaping | undefined,
  args: Record<string, unknown>,
  response: unknown,
  text: string,
  redactValue: (v: unknown) => unknown = (v) => v,
): ShapedJson {
  const s = shaping ?? {};
  const page = s.pagination ? pageInfo(s.pagination, args, response) : undefined;
  const max = budgetChars(s);
  let value = response;
  let changed = false;
  if (s.projection) {
    value = project(response, s.projection) ?? null;
    changed = true;
  } else if (text.length <= max) {
    return { value, text, changed, cuts: [], page, note: composeNote(toolName, s, args, [], page) };
  }
  value = redactValue(value);
  // Room for the note, so text and note together stay within the budget.
  const { value: cut, cuts } = cutJson(value, Math.max(1000, max - 600));
  changed ||= cuts.length > 0;
  return {
    value: cut,
    text: JSON.stringify(cut),
    changed,
    cuts,
    page,
    note: composeNote(toolName, s, args, cuts, page),
  };
}

/** Shapes a text response: cut at a line, with a note; undefined when it fits. */
export function shapeText(
  shaping: ResponseShaping | undefined,
  text: string,
): { text: string; note: string } | undefined {
  const cut = cutText(text, Math.max(1000, budgetChars(shaping) - 300));
  if (!cut) return undefined;
  const budget = fmt(shaping?.maxTokens ?? DEFAULT_MAX_TOKENS);
  return {
    text: cut.text,
    note:
      `[Cut to fit the ${budget}-token budget: showing lines 1–${fmt(cut.keptLines)} of ` +
      `${fmt(cut.totalLines)} (${fmt(cut.text.length)} of ${fmt(text.length)} characters). ` +
      'To see the rest, call again with narrower arguments.]',
  };
}
