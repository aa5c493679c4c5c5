// What a real MCP client does to reach a hosted server: the MCP SDK's OAuth client provider (DCR,
// PKCE, tokens kept in memory) plus a small cookie-keeping "browser" that goes through the
// platform's real login and consent forms and hands the authorization code back.
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

export class MemoryOAuthProvider implements OAuthClientProvider {
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  /** The authorization URL the SDK asked us to open; the test "opens" it with a Browser. */
  authorizationUrl: URL | undefined;

  readonly redirectUrl: string;
  readonly clientName: string;

  constructor(redirectUrl: string, clientName = 'E2E MCP client') {
    this.redirectUrl = redirectUrl;
    this.clientName = clientName;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.clientName,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.#client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.#client = info;
  }
  tokens() {
    return this.#tokens;
  }
  saveTokens(tokens: OAuthTokens) {
    this.#tokens = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.#verifier = v;
  }
  codeVerifier() {
    return this.#verifier;
  }
}

/** fetch with a cookie jar and manual redirects, like a browser tab on one origin. */
export class Browser {
  readonly #jar = new Map<string, string>();

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#jar.size > 0) {
      headers.set('cookie', [...this.#jar].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /max-age=0/i.test(c)) this.#jar.delete(name);
      else this.#jar.set(name, value);
    }
    return res;
  }

  /** Submits the HTML form whose action is `action` with its hidden fields plus `fields`. */
  async submit(
    pageUrl: string,
    html: string,
    action: string,
    fields: Record<string, string>,
  ): Promise<Response> {
    const form = new RegExp(`<form[^>]*action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
    if (!form)
      throw new Error(`no form posting to ${action} on ${pageUrl}:\n${html.slice(0, 800)}`);
    const body = new URLSearchParams();
    for (const m of form[1]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(m[0])?.[1];
      const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
      if (name) body.set(name, decodeEntities(value));
    }
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    const origin = new URL(pageUrl).origin;
    return this.fetch(new URL(action, pageUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: body.toString(),
    });
  }
}

function decodeEntities(s: string): string {
  return s
    .replaceAll('&amp;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
}

/**
 * Opens the authorization URL signed out, signs in on the login form, approves on the consent
 * form, and returns the code from the redirect to the client's redirect URI (and that redirect,
 * with `state` and `iss`). A redirect to another origin (a connection's provider) goes to
 * `elsewhere`, which returns the URL the browser goes on to; without it the browser follows.
 */
export async function approveInBrowser(
  authorizationUrl: URL,
  user: { email: string; password: string },
  redirectUrl: string,
  elsewhere?: (url: URL) => Promise<string>,
): Promise<{ code: string; consentHtml: string; redirect: URL }> {
  const browser = new Browser();
  let url = authorizationUrl.toString();
  let res = await browser.fetch(url);
  let consentHtml = '';
  for (let hops = 0; hops < 20; hops++) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.toString().startsWith(redirectUrl)) {
        const code = next.searchParams.get('code');
        if (!code) throw new Error(`redirected without a code: ${next}`);
        return { code, consentHtml, redirect: next };
      }
      url =
        elsewhere && next.origin !== authorizationUrl.origin
          ? await elsewhere(next)
          : next.toString();
      res = await browser.fetch(url);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${html.slice(0, 500)}`);
    if (html.includes('action="/consent"')) {
      consentHtml = html;
      res = await browser.submit(url, html, '/consent', { decision: 'approve' });
    } else if (html.includes('action="/login"')) {
      res = await browser.submit(url, html, '/login', {
        email: user.email,
        password: user.password,
      });
    } else {
      throw new Error(`unexpected page at ${url}:\n${html.slice(0, 800)}`);
    }
  }
  throw new Error('the authorization flow did not end');
}
