// Drives the test provider's sign-in the way a browser would, with fetch only (runs in Node and in
// the Workers test pool): follow the authorization URL to the interaction form, POST the account
// name (or Deny) with the provider's cookies, follow the provider's redirects, and stop at the
// first redirect that leaves the provider — Moat's `/connections/callback?code&state&iss` (or
// `?error`). Answers that URL.

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

function remember(jar: Map<string, string>, res: Response) {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
}

export async function loginAtProvider(
  authorizationUrl: string,
  login: string,
  opts: { deny?: boolean } = {},
): Promise<string> {
  const providerOrigin = new URL(authorizationUrl).origin;
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader(jar) },
    });
    remember(jar, res);
    const location = res.headers.get('location');
    if (location) {
      await res.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== providerOrigin) return next.href;
      url = next.href;
      init = {};
      continue;
    }
    const interaction = /^\/interaction\/([^/]+)$/.exec(new URL(url).pathname);
    if (res.status === 200 && interaction) {
      await res.text();
      url = `${providerOrigin}/interaction/${interaction[1]}/${opts.deny ? 'deny' : 'login'}`;
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login }).toString(),
      };
      continue;
    }
    throw new Error(`test provider: unexpected ${res.status} at ${url}: ${await res.text()}`);
  }
  throw new Error('test provider: too many redirects');
}
