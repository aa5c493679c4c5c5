// Redirect URI rules: registration (RFC 7591 §2, OAuth 2.1 §2.3.1, RFC 8252 §7) and matching at
// the authorization endpoint (OAuth 2.1 §4.1.1: exact string match; RFC 8252 §7.3: any port on
// a loopback address).

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

// Schemes that execute, read local files or are not navigations. Private-use schemes of native
// apps (claude://, cursor://, vscode://, com.example.app:) are allowed (RFC 8252 §7.1).
const REFUSED_SCHEMES = new Set([
  'javascript:',
  'data:',
  'file:',
  'vbscript:',
  'blob:',
  'about:',
  'filesystem:',
  'ws:',
  'wss:',
  'ftp:',
  'mailto:',
  'tel:',
]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Why a redirect URI cannot be registered, or undefined when it can. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > 2000) return 'is too long';
  if (uri.includes('#')) return 'must not contain a fragment (OAuth 2.1 §2.3.1)';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  const scheme = url.protocol.toLowerCase();
  if (REFUSED_SCHEMES.has(scheme)) return `uses the refused scheme ${scheme}`;
  if (scheme === 'https:') return url.hostname ? undefined : 'has no host';
  if (scheme === 'http:') {
    // RFC 8252 §7.3 and §8.3: plain http only for the loopback interface.
    return isLoopbackHost(url.hostname)
      ? undefined
      : 'uses http on a non-loopback host; use https or a loopback address';
  }
  // Private-use URI scheme (RFC 8252 §7.1).
  return /^[a-z][a-z0-9+.-]*:$/.test(scheme) ? undefined : 'has an invalid scheme';
}

/** RFC 8252 §7.3: loopback redirect URIs match on everything except the port. */
function loopbackMatches(requested: string, registered: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(requested);
    b = new URL(registered);
  } catch {
    return false;
  }
  return (
    a.protocol === 'http:' &&
    b.protocol === 'http:' &&
    isLoopbackHost(a.hostname) &&
    a.hostname === b.hostname &&
    a.username === '' &&
    a.password === '' &&
    a.pathname === b.pathname &&
    a.search === b.search &&
    !requested.includes('#')
  );
}

/** The registered redirect URI the request names, if it is one. */
export function matchRedirectUri(requested: string, registered: readonly string[]): boolean {
  return registered.some((r) => r === requested || loopbackMatches(requested, r));
}
