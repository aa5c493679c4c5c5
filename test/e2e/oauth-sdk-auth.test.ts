// The AS seen by the MCP SDK’s own `auth()` (not the transport’s 401 path, which mcp-oauth.test.ts
// covers) against the platform as `npm start` runs it: discovery from
// the runner's Protected Resource Metadata, dynamic registration, authorization code + PKCE
// through the real /login and consent forms (a cookie jar and fetch play the browser), the token
// exchange, a refresh, and a tools/list at the hosted server with the issued token.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  auth,
  discoverAuthorizationServerMetadata,
  refreshAuthorization,
  type OAuthClientProvider,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../support/platform';

const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'http://127.0.0.1:47613/oauth/callback';

/** The state an MCP client keeps: what the SDK asks an OAuthClientProvider for. */
class MemoryProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier?: string;
  authorizationUrl?: URL;
  readonly expectedState = `st-${crypto.randomUUID()}`;

  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'SDK e2e client',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state() {
    return this.expectedState;
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    if (!this.verifier) throw new Error('no verifier');
    return this.verifier;
  }
}

/** A minimal browser: follows nothing by itself, keeps cookies per origin. */
class Browser {
  private jar = new Map<string, string>();

  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookie() },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, i), pair!.slice(i + 1)];
      if (value === '' || /max-age=0/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  /** Submits a form's hidden fields plus `fields`, as a browser posting it would. */
  async submit(origin: string, html: string, action: string, fields: Record<string, string>) {
    const form = new RegExp(`<form[^>]*action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
    if (!form) throw new Error(`no form for ${action}`);
    const body = new URLSearchParams();
    for (const m of form[1]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      body.set(m[1]!, unescapeHtml(m[2]!));
    }
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    return this.go(`${origin}${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body,
    });
  }

  private cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

function unescapeHtml(s: string): string {
  return s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

describe('MCP SDK client OAuth against the platform', () => {
  let platform: Platform;
  let mcpUrl: string;
  const email = `sdk-${Date.now()}@example.test`;

  beforeAll(async () => {
    platform = await startPlatform();
    const signup = await fetch(`${platform.issuer}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(signup.status).toBe(201);
    const { csrfToken } = (await signup.json()) as { csrfToken: string };
    const cookie = signup.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const created = await fetch(`${platform.issuer}/v1/servers`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie,
        origin: platform.issuer,
        'x-csrf-token': csrfToken,
      },
      body: JSON.stringify({
        name: 'Echo',
        slug: `echo-${Date.now().toString(36)}`,
        description: 'e2e',
        visibility: 'private',
        egress: ['127.0.0.1'],
        tools: [
          {
            name: 'ping',
            description: 'Ping',
            inputSchema: { type: 'object', properties: {} },
            annotations: { readOnlyHint: true },
            http: { method: 'GET', url: 'http://127.0.0.1:9/ping' },
          },
        ],
      }),
    });
    expect(created.status).toBe(201);
    mcpUrl = ((await created.json()) as { url: string }).url;
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('discovers, registers, authorizes through login and consent, and calls the server', async () => {
    const provider = new MemoryProvider();
    expect(await auth(provider, { serverUrl: mcpUrl })).toBe('REDIRECT');
    expect(provider.client?.client_id).toMatch(/^cl_/);
    const authUrl = provider.authorizationUrl!;
    expect(authUrl.origin).toBe(platform.issuer);
    expect(authUrl.searchParams.get('resource')).toBe(mcpUrl);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');

    // The browser: /authorize → /login → back to /authorize → consent → the client's redirect.
    const browser = new Browser();
    const toLogin = await browser.go(authUrl.href);
    expect(toLogin.status).toBe(302);
    const loginUrl = new URL(toLogin.headers.get('location')!, platform.issuer);
    expect(loginUrl.pathname).toBe('/login');
    const loginPage = await browser.go(loginUrl.href);
    expect(loginPage.status).toBe(200);
    const signedIn = await browser.submit(platform.issuer, await loginPage.text(), '/login', {
      email,
      password: PASSWORD,
    });
    expect(signedIn.status).toBe(303);
    const back = new URL(signedIn.headers.get('location')!, platform.issuer);
    expect(back.pathname).toBe('/authorize');
    const consentPage = await browser.go(back.href);
    expect(consentPage.status).toBe(200);
    expect(consentPage.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await consentPage.text();
    expect(html).toContain('SDK e2e client');
    expect(html).toContain('unverified');
    const approved = await browser.submit(platform.issuer, html, '/consent', {
      decision: 'approve',
    });
    expect(approved.status).toBe(302);
    const callback = new URL(approved.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe(provider.expectedState);
    expect(callback.searchParams.get('iss')).toBe(platform.issuer);
    const code = callback.searchParams.get('code')!;

    expect(await auth(provider, { serverUrl: mcpUrl, authorizationCode: code })).toBe('AUTHORIZED');
    const tokens = provider.saved!;
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.refresh_token).toMatch(/^moat_rt_/);
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({
      alg: 'RS256',
      typ: 'at+jwt',
    });
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      iss: platform.issuer,
      aud: mcpUrl,
      client_id: provider.client!.client_id,
      scope: 'mcp:read',
    });

    // The hosted server accepts the token.
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['ping']);
    await client.close();

    // A refresh through the SDK rotates the refresh token.
    const before = tokens.refresh_token;
    const metadata = await discoverAuthorizationServerMetadata(platform.issuer);
    const refreshed = await refreshAuthorization(platform.issuer, {
      metadata,
      clientInformation: provider.client!,
      refreshToken: before!,
      resource: new URL(mcpUrl),
    });
    expect(refreshed.refresh_token).toMatch(/^moat_rt_/);
    expect(refreshed.refresh_token).not.toBe(before);
  }, 60_000);
});
