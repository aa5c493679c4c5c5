// Fills a tool's header and body templates (DESIGN §4): `{arg}` from the validated arguments,
// `{{secrets.NAME}}` in headers and body only. The URL has its own rules (url-template.ts).
export class TemplateError extends Error {
  readonly code = 'template_error';
}

type Args = Record<string, unknown>;

export const ARG = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const SECRET = /\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}/g;

/** An argument as template text: arrays comma-joined, objects as JSON. */
export function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).join(',');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Argument names a template set refers to (they are not sent again as a default body). */
export function referencedArgs(templates: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const t of templates) for (const m of t.replace(SECRET, '').matchAll(ARG)) names.add(m[1]!);
  return names;
}

export function referencedSecrets(templates: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const t of templates) for (const m of t.matchAll(SECRET)) names.add(m[1]!);
  return names;
}

function fillString(template: string, args: Args, secrets: ReadonlyMap<string, string>): string {
  return template
    .replace(SECRET, (_, name: string) => {
      const v = secrets.get(name);
      if (v === undefined) throw new TemplateError(`secret ${name} is not set`);
      return v;
    })
    .replace(ARG, (_, name: string) => {
      const v = args[name];
      return v === undefined || v === null ? '' : text(v);
    });
}

export function fillHeaders(
  templates: Record<string, string> | undefined,
  args: Args,
  secrets: ReadonlyMap<string, string>,
): Headers {
  const headers = new Headers();
  for (const [name, t] of Object.entries(templates ?? {})) {
    const value = fillString(t, args, secrets);
    // RFC 9110 §5.5: no CR, LF or NUL in a field value (header injection).
    if (/[\r\n\0]/.test(value))
      throw new TemplateError(`header ${name} would contain a line break`);
    headers.set(name, value);
  }
  return headers;
}

/** A string that is exactly "{arg}" keeps the argument's JSON type; other strings are filled. */
function fillJson(node: unknown, args: Args, secrets: ReadonlyMap<string, string>): unknown {
  if (typeof node === 'string') {
    const whole = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(node);
    if (whole) return args[whole[1]!] ?? null;
    return fillString(node, args, secrets);
  }
  if (Array.isArray(node)) return node.map((n) => fillJson(n, args, secrets));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, fillJson(v, args, secrets)]),
    );
  }
  return node;
}

export function fillBody(
  template: string | Record<string, unknown> | null | undefined,
  args: Args,
  secrets: ReadonlyMap<string, string>,
): { body: string; json: boolean } | undefined {
  if (template === null || template === undefined) return undefined;
  if (typeof template === 'string') {
    // A body that is exactly "{arg}" is that argument: JSON unless it is a string (an OpenAPI
    // array or scalar request body becomes one `body` argument, lib/openapi/operation-tool.ts).
    const whole = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(template);
    const value = whole ? args[whole[1]!] : undefined;
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return { body: JSON.stringify(value), json: true };
    }
    return { body: fillString(template, args, secrets), json: false };
  }
  return { body: JSON.stringify(fillJson(template, args, secrets)), json: true };
}
