// Where to send the browser after sign-in. Only same-origin relative paths are honoured, so
// /login cannot be used as an open redirector (OAuth 2.1 §7.12, RFC 9700 §4.11).
const MAX_LENGTH = 8192;

/** A safe same-origin path (with its query string), or "/" for anything else. */
export function safeReturnTo(value: unknown, issuer: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return '/';
  // Must be a path: "/x", not "//host", "/\host" (browsers treat "\" as "/") or "scheme:".
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, issuer);
  } catch {
    return '/';
  }
  if (url.origin !== new URL(issuer).origin) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
