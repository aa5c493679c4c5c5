// Resource template URIs (MCP 2025-11-25 server/resources §Resource Templates: RFC 6570). Moat
// supports level 1 only — simple `{name}` expressions — because a read must map one URI back to
// one set of variables without ambiguity, and those variables become the arguments of an HTTP
// call whose URL has its own shape rules (workers/runner/src/tools/url-template.ts).

export const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const EXPRESSION = /\{([^{}]*)\}/g;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export type UriTemplateProblem = { message: string };

/** Why `template` is not a usable level 1 URI template, or undefined when it is. */
export function uriTemplateProblem(template: string): UriTemplateProblem | undefined {
  if (!URI_SCHEME.test(template))
    return { message: 'must start with a URI scheme, e.g. "docs://"' };
  if (/\s/.test(template)) return { message: 'may not contain whitespace' };
  const names = new Set<string>();
  for (const m of template.matchAll(EXPRESSION)) {
    const name = m[1]!;
    // RFC 6570 §2.2: an operator (+ # . / ; ? &) or a list makes a level 2+ expression.
    if (!VARIABLE.test(name)) {
      return {
        message: `{${name}} is not supported: use simple {name} expressions (RFC 6570 level 1)`,
      };
    }
    if (names.has(name)) return { message: `{${name}} appears twice` };
    names.add(name);
  }
  if (names.size === 0) return { message: 'needs at least one {name} expression' };
  if (/[{}]/.test(template.replace(EXPRESSION, ''))) return { message: 'has an unbalanced brace' };
  // Two adjacent expressions could split one URI in many ways.
  if (/\}\{/.test(template)) return { message: 'two expressions must be separated by text' };
  return undefined;
}

/** The variable names of a template, in order. */
export function uriTemplateVariables(template: string): string[] {
  return [...template.matchAll(EXPRESSION)].map((m) => m[1]!);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The variables of `uri` when it is an expansion of `template`, else undefined. RFC 6570 §3.2.2:
 * simple expansion percent-encodes every reserved character, so a value never spans `/ ? # &`;
 * values are decoded on the way out.
 */
export function matchUriTemplate(
  template: string,
  uri: string,
): Record<string, string> | undefined {
  const names: string[] = [];
  let pattern = '^';
  let last = 0;
  for (const m of template.matchAll(EXPRESSION)) {
    pattern += escapeRegExp(template.slice(last, m.index)) + '([^/?#&=]+)';
    names.push(m[1]!);
    last = m.index + m[0].length;
  }
  pattern += `${escapeRegExp(template.slice(last))}$`;
  const match = new RegExp(pattern).exec(uri);
  if (!match) return undefined;
  const out: Record<string, string> = {};
  try {
    names.forEach((n, i) => (out[n] = decodeURIComponent(match[i + 1]!)));
  } catch {
    return undefined;
  }
  return out;
}
