// Fills a tool's header and body templates (DESIGN §4): `{arg}` from the validated arguments,
// `{{secrets.NAME}}` and `{{connections.<name>.access_token}}` (the caller's own token, issue 13)
// in headers and body only. The URL has its own rules (url-template.ts). One map carries both
// kinds of value: secrets by name, connection tokens under `connections.<name>` (no secret name
// has a dot), so every value filled in is also one the redactor removes (secret-redaction.ts).
export class TemplateError extends Error {
  readonly code = 'template_error';
}

type Args = Record<string, unknown>;

export const ARG = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const SECRET = /\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}/g;
const CONNECTION = /\{\{\s*connections\.([A-Za-z0-9_]+)\.access_token\s*\}\}/g;

/** The key of a connection's access token in the map of filled values. */
export const connectionKey = (name: string) => `connections.${name}`;

/** An argument as template text: arrays comma-joined, objects as JSON. */
export function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).join(',');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Argument names a template set refers to (they are not sent again as a default body). */
export function referencedArgs(templates: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const t of templates)
    for (const m of t.replace(SECRET, '').replace(CONNECTION, '').matchAll(ARG)) names.add(m[1]!);
  return names;
}

export function referencedSecrets(templates: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const t of templates) for (const m of t.matchAll(SECRET)) names.add(m[1]!);
  return names;
}

const PLACEHOLDER =
  /\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}|\{\{\s*connections\.([A-Za-z0-9_]+)\.access_token\s*\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** How an argument is written at a position of a template. */
type Encode = (value: unknown, offset: number) => string;
const asText: Encode = (v) => (v === undefined || v === null ? '' : text(v));

/** One pass, so a filled value is never read as a template (a secret holding `{arg}` stays). */
function fillString(
  template: string,
  args: Args,
  secrets: ReadonlyMap<string, string>,
  encode: Encode = asText,
): string {
  return template.replace(
    PLACEHOLDER,
    (
      _m,
      secret: string | undefined,
      connection: string | undefined,
      name: string | undefined,
      offset: number,
    ) => {
      if (secret !== undefined) {
        const v = secrets.get(secret);
        if (v === undefined) throw new TemplateError(`secret ${secret} is not set`);
        return v;
      }
      if (connection !== undefined) {
        const v = secrets.get(connectionKey(connection));
        if (v === undefined) throw new TemplateError(`connection ${connection} is not linked`);
        return v;
      }
      return encode(args[name!], offset);
    },
  );
}

/** Offsets inside JSON string literals of `template` (RFC 8259 §7). */
function inJsonString(template: string): (offset: number) => boolean {
  const inside = new Uint8Array(template.length);
  let open = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (open && c === '\\') inside[i++] = 1;
    else if (c === '"') open = !open;
    if (open && i < template.length) inside[i] = 1;
  }
  return (offset) => inside[offset] === 1;
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * A string body keeps its shape whatever the arguments hold, as the URL does: each argument is
 * encoded for the body's media type (its Content-Type, or JSON when the template is JSON).
 * Otherwise `{"role":"viewer","name":"{q}"}` with q = `x","role":"admin` would change the role.
 */
function bodyEncoder(template: string, contentType: string | null): Encode {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const looksJson = () => {
    try {
      const v: unknown = JSON.parse(template.replace(PLACEHOLDER, '0'));
      return v !== null && typeof v === 'object';
    } catch {
      return false;
    }
  };
  if (mime === 'application/json' || mime.endsWith('+json') || (mime === '' && looksJson())) {
    const quoted = inJsonString(template);
    return (v, offset) =>
      quoted(offset) ? JSON.stringify(asText(v, offset)).slice(1, -1) : JSON.stringify(v ?? null);
  }
  if (mime === 'application/x-www-form-urlencoded') {
    return (v, offset) => encodeURIComponent(asText(v, offset));
  }
  if (mime.endsWith('xml') || mime === 'text/html') {
    return (v, offset) => asText(v, offset).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
  }
  return asText;
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
  contentType: string | null = null,
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
    const encode = bodyEncoder(template, contentType);
    return { body: fillString(template, args, secrets, encode), json: false };
  }
  return { body: JSON.stringify(fillJson(template, args, secrets)), json: true };
}
