// Request parameters of the OAuth endpoints. RFC 6749 §3.2 specifies
// application/x-www-form-urlencoded; some MCP clients post JSON, which is accepted too. A parameter
// sent twice is refused (RFC 6749 §3.1).
import { OAuthError } from '../../../../lib/oauth/errors';

const MAX_BODY = 64 * 1024;

export type Params = Record<string, string>;

function fromEntries(entries: Iterable<[string, string]>): Params {
  const out: Params = {};
  for (const [k, v] of entries) {
    if (Object.hasOwn(out, k)) {
      throw new OAuthError('invalid_request', `The parameter ${k} was sent more than once.`);
    }
    out[k] = v;
  }
  return out;
}

export function queryParams(url: string): Params {
  return fromEntries(new URL(url).searchParams.entries());
}

/** Form or JSON body as flat string parameters; empty values count as absent (RFC 6749 §3.1). */
export async function bodyParams(req: Request): Promise<Params> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = new TextDecoder().decode(await req.arrayBuffer().catch(() => new ArrayBuffer(0)));
  if (text.length > MAX_BODY)
    throw new OAuthError('invalid_request', 'The request body is too large.');
  let params: Params;
  if (type === 'application/x-www-form-urlencoded') {
    params = fromEntries(new URLSearchParams(text).entries());
  } else if (type === 'application/json') {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new OAuthError('invalid_request', 'The request body is not valid JSON.');
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new OAuthError('invalid_request', 'The request body must be a JSON object.');
    }
    const entries: [string, string][] = [];
    for (const [k, v] of Object.entries(raw)) {
      if (v === null || v === undefined) continue;
      if (typeof v !== 'string' && typeof v !== 'number') {
        throw new OAuthError('invalid_request', `The parameter ${k} must be a string.`);
      }
      entries.push([k, String(v)]);
    }
    params = fromEntries(entries);
  } else {
    throw new OAuthError(
      'invalid_request',
      'Send parameters as application/x-www-form-urlencoded (or application/json).',
    );
  }
  for (const k of Object.keys(params)) if (params[k] === '') delete params[k];
  return params;
}
