// Where to send the browser after sign-in (the /login page's `return_to`, the dashboard's `next`).
// Only a path on our own origin is honoured, so neither can be used as an open redirector
// (OAuth 2.1 §7.12, RFC 9700 §4.11.1). The value is judged after the URL parser has normalised it
// (dot segments, backslashes, tabs), because that is what the browser will follow.
const MAX_LENGTH = 8192;

/**
 * A same-origin path with its query and fragment, normalised by the URL parser, or `fallback`.
 * `origin` is the origin the browser is on (the issuer, or `location.origin` in the dashboard).
 */
export function safeReturnTo(value: unknown, origin: string, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  // A path-absolute reference only: "/x", never "https:…", "//host" or "\/\/host".
  if (!value.startsWith('/')) return fallback;
  // The URL parser drops tabs and newlines, so "/\t/evil" would become "//evil".
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  const self = new URL(origin);
  let url: URL;
  try {
    url = new URL(value, self);
  } catch {
    return fallback;
  }
  if (url.origin !== self.origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // After normalisation "/.//evil" is "//evil": a network-path reference to another host when the
  // browser resolves it (RFC 3986 §4.2). "\" counts as "/" in special URLs (WHATWG URL).
  if (path.startsWith('//') || path.startsWith('/\\')) return fallback;
  // What we hand back must resolve to exactly the URL we checked.
  if (new URL(path, self).href !== url.href) return fallback;
  return path;
}
