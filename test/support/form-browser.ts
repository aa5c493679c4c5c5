// Plays the user's browser through the platform's server-rendered pages without a real browser:
// a cookie jar, manual redirects, and the hidden fields of the /login and /consent forms. It is
// what `moat login` or `moat call` would have the user do after opening the authorization URL.

type Jar = Map<string, string>;

function remember(jar: Jar, res: Response): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    jar.set(pair!.slice(0, i).trim(), pair!.slice(i + 1));
  }
}

const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

function decode(s: string): string {
  return s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** The hidden inputs of the first form posting to `action`. */
export function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form for ${action} on the page:\n${html.slice(0, 400)}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[decode(m[1]!)] = decode(m[2]!);
  }
  return fields;
}

export type BrowserResult = { callback: URL; pages: string[] };

/**
 * Follows `authorizeUrl` as a signed-out browser: signs in on /login (or signs up with
 * `signUp: true`), approves or denies on /consent, and stops at the first redirect that leaves
 * the platform (the client's loopback redirect URI), which it then requests like a browser would.
 */
export async function playBrowser(
  authorizeUrl: string,
  user: { email: string; password: string },
  opts: { decision?: 'approve' | 'deny'; signUp?: boolean } = {},
): Promise<BrowserResult> {
  const jar: Jar = new Map();
  const origin = new URL(authorizeUrl).origin;
  const pages: string[] = [];
  let next: { url: string; init?: RequestInit } = { url: authorizeUrl };
  for (let hops = 0; hops < 12; hops++) {
    const url = new URL(next.url, origin);
    if (url.origin !== origin) {
      const res = await fetch(url);
      await res.text();
      return { callback: url, pages };
    }
    const res = await fetch(url, {
      ...next.init,
      redirect: 'manual',
      headers: { ...(next.init?.headers as Record<string, string>), cookie: cookieHeader(jar) },
    });
    remember(jar, res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      next = { url: location };
      continue;
    }
    const html = await res.text();
    pages.push(url.pathname);
    if (res.status !== 200)
      throw new Error(`${url.pathname} answered ${res.status}:\n${html.slice(0, 400)}`);
    const post = (action: string, fields: Record<string, string>) => ({
      url: action,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams(fields).toString(),
      },
    });
    if (url.pathname === '/login') {
      const action = opts.signUp ? '/signup' : '/login';
      next = post(action, {
        ...formFields(html, action),
        email: user.email,
        password: user.password,
      });
    } else if (html.includes('action="/consent"')) {
      next = post('/consent', {
        ...formFields(html, '/consent'),
        decision: opts.decision ?? 'approve',
      });
    } else {
      throw new Error(`unexpected page ${url.pathname}:\n${html.slice(0, 400)}`);
    }
  }
  throw new Error('too many redirects');
}
