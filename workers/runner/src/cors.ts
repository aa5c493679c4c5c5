// CORS for browser MCP clients (Fetch Standard §3.2 "CORS protocol"; DESIGN §9). Preflights are
// answered before the bearer check: a browser never sends credentials on an OPTIONS request, so
// a 401 there would end every browser client before it starts. Only origins the Origin policy
// accepts get `Access-Control-Allow-Origin` — on every answer, 401 and 403 included, so the page
// can read the `WWW-Authenticate` challenge and start OAuth (MCP 2025-11-25 authorization §2.3).
// No `Access-Control-Allow-Credentials`: tokens travel in `Authorization`, never in cookies.
/** Request headers an MCP client sends (MCP transports §2.5–2.7, 2026-07-28 `Mcp-Method`/`Mcp-Name`). */
export const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Mcp-Protocol-Version',
  'Mcp-Session-Id',
  'Mcp-Method',
  'Mcp-Name',
  'Last-Event-ID',
].join(', ');

/** Response headers a page must read: the session id and the OAuth challenge. */
export const EXPOSED_HEADERS = 'Mcp-Session-Id, WWW-Authenticate';

export const MCP_METHODS = 'GET, POST, DELETE';

/** Browsers cap this (Chromium at 2 h); ten minutes keeps a removed origin's cache short. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** A CORS preflight: OPTIONS with `Origin` and `Access-Control-Request-Method` (Fetch §3.2.2). */
export function isPreflight(req: Request): boolean {
  return (
    req.method === 'OPTIONS' &&
    req.headers.has('origin') &&
    req.headers.has('access-control-request-method')
  );
}

/** The preflight answer for an accepted origin (a refused one gets the Origin link's 403). */
export function preflightResponse(origin: string, methods: string = MCP_METHODS): Response {
  return new Response(null, {
    status: 204,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': methods,
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
      vary: 'Origin',
    },
  });
}

/** What makes an answer readable by `origin` (besides `Vary: Origin`, which is appended). */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS,
  };
}

/**
 * Protected resource metadata is public and the same for everyone (RFC 9728 §3), so any origin may
 * read it, without credentials; SDK clients send `MCP-Protocol-Version` with it, which needs this
 * preflight.
 */
export function publicPreflightResponse(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET',
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
    },
  });
}
