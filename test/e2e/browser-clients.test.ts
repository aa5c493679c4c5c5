// Browser clients end to end (DESIGN §9 "Browser clients"): the dashboard's playground in
// Chromium signs in through the platform's OAuth flow, lists and calls tools of a server backed
// by the local Notes API; a page on an origin in the server's allowedOrigins calls the runner
// cross-origin and a page on any other origin is refused; and real MCP clients (the SDK 1.x
// client, @modelcontextprotocol/client 2.x) each complete discovery → OAuth → tools against the
// same hosted server.
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserSession } from '../support/browser';
import { screenshot, signUpInBrowser } from '../support/dashboard';
import { runInspectorCli } from '../support/inspector-cli';
import { approveInBrowser, MemoryOAuthProvider } from '../support/mcp-oauth';
import { ModernMemoryOAuthProvider } from '../support/mcp-oauth-modern';
import { NOTES_API_KEY, startNotesApi, type NotesApi } from '../support/notes-api';
import { startPlatform, type Platform } from '../support/platform';

const PASSWORD = 'correct horse battery staple';
const INSPECTOR_ERA = 'modern';

/** A blank page on its own origin, standing in for a third-party web app. */
async function startSite(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>A web app</title><p>web app</p>');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'web app', version: '1' },
  },
};

/** The `scope` claim of an access token (RFC 9068 §2.2.3), sorted. */
function scopesOf(jwt: string): string[] {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as {
    scope: string;
  };
  return payload.scope.split(' ').sort();
}

type PageFetch = {
  status?: number;
  session?: string | null;
  challenge?: string | null;
  error?: string;
};

/** `fetch` from inside the page: what a web app's script can see of the answer. */
function fetchFromPage(page: Page, url: string, token?: string): Promise<PageFetch> {
  return page.evaluate(
    async ({ url, token, body }) => {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        });
        await res.text();
        return {
          status: res.status,
          session: res.headers.get('mcp-session-id'),
          challenge: res.headers.get('www-authenticate'),
        };
      } catch (err) {
        return { error: String(err) };
      }
    },
    { url, token, body: initialize },
  );
}

describe('browser clients', () => {
  let platform: Platform;
  let browser: BrowserSession;
  let notes: NotesApi;
  let app: Awaited<ReturnType<typeof startSite>>;
  let other: Awaited<ReturnType<typeof startSite>>;
  let page: Page;
  let serverId: string;
  let mcpUrl: string;
  const owner = { email: `owner-${Date.now()}@example.test`, password: PASSWORD };

  beforeAll(async () => {
    [platform, notes, app, other, browser] = await Promise.all([
      startPlatform(),
      startNotesApi(),
      startSite(),
      startSite(),
      launchBrowser(),
    ]);
    page = await browser.newPage();
    await signUpInBrowser(page, platform.issuer, owner);

    // The owner creates the server over /v1 with the browser's session (same cookies).
    const csrf = (await browser.context.cookies()).find((c) => /moat_csrf$/.test(c.name))?.value;
    const headers = { origin: platform.issuer, 'x-csrf-token': csrf ?? '' };
    const slug = `notes-${Date.now().toString(36)}`;
    const created = await page.request.post(`${platform.issuer}/v1/servers`, {
      headers,
      data: {
        name: 'Notes',
        slug,
        secrets: [{ name: 'NOTES_KEY' }],
        egress: ['127.0.0.1'],
        allowedOrigins: [app.origin],
        tools: [
          {
            name: 'get_note',
            description: 'Read one note',
            inputSchema: {
              type: 'object',
              properties: { id: { type: 'string', description: 'The note id' } },
              required: ['id'],
            },
            annotations: { readOnlyHint: true },
            http: {
              method: 'GET',
              url: `${notes.origin}/notes/{id}`,
              headers: { 'x-notes-key': '{{secrets.NOTES_KEY}}' },
            },
          },
          {
            name: 'add_note',
            description: 'Add a note',
            inputSchema: {
              type: 'object',
              properties: { text: { type: 'string' } },
              required: ['text'],
            },
            http: {
              method: 'POST',
              url: `${notes.origin}/notes`,
              headers: { 'x-notes-key': '{{secrets.NOTES_KEY}}' },
            },
          },
          {
            name: 'notes_health',
            description: 'The Notes database health (it is down)',
            inputSchema: { type: 'object', properties: {} },
            annotations: { readOnlyHint: true },
            http: {
              method: 'GET',
              url: `${notes.origin}/broken`,
              headers: { 'x-notes-key': '{{secrets.NOTES_KEY}}' },
            },
          },
        ],
      },
    });
    expect(created.status()).toBe(201);
    ({ id: serverId, url: mcpUrl } = (await created.json()) as { id: string; url: string });
    const secret = await page.request.put(
      `${platform.issuer}/v1/servers/${serverId}/secrets/NOTES_KEY`,
      { headers, data: { value: NOTES_API_KEY } },
    );
    expect(secret.status()).toBe(200);
  });

  /** An access token for the server, as a web app's backend or its OAuth library would get one. */
  async function tokenFor(clientName: string): Promise<string> {
    const provider = new MemoryOAuthProvider('http://127.0.0.1:53690/callback', clientName);
    expect(await auth(provider, { serverUrl: mcpUrl })).toBe('REDIRECT');
    const { code } = await approveInBrowser(
      provider.authorizationUrl!,
      owner,
      provider.redirectUrl,
    );
    await auth(provider, { serverUrl: mcpUrl, authorizationCode: code });
    return provider.tokens()!.access_token;
  }

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await Promise.all([notes?.close(), app?.close(), other?.close()]);
  });

  it('the playground signs in through OAuth, lists the tools and calls one in Chromium', async () => {
    await page.goto(`${platform.issuer}/servers/${serverId}`);
    await page.getByRole('button', { name: 'Open playground' }).click();
    await page.getByRole('button', { name: 'Sign in to the playground' }).click();

    // The platform's own consent page, for the playground's registration.
    await page.waitForURL((u) => u.pathname === '/authorize' || u.pathname === '/consent');
    await expect(page.getByText('Moat playground').first().isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Allow' }).click();

    // Back on the server page through /playground/callback, connected.
    await page.waitForURL(`${platform.issuer}/servers/${serverId}#playground`);
    await page.getByTestId('playground-status').waitFor();
    // The SDK negotiated the modern era with the runner (server/discover), from the browser.
    await page.getByText('MCP 2026-07-28').waitFor();
    const tools = page.getByRole('list', { name: 'Playground tools' });
    await expect(tools.getByRole('button').allTextContents()).resolves.toEqual([
      'get_note',
      'add_note',
      'notes_health',
    ]);

    await page.getByLabel('id *').fill('n42');
    await page.getByRole('button', { name: 'Call get_note' }).click();
    const result = page.getByTestId('playground-result');
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain('Buy milk');
    await screenshot(page, 'server-playground');
    expect(notes.requests).toContainEqual({
      method: 'GET',
      path: '/notes/n42',
      apiKey: NOTES_API_KEY,
    });

    // A downstream failure is shown as the tool's error, not a crash.
    await tools.getByRole('button', { name: 'notes_health' }).click();
    await page.getByRole('button', { name: 'Call notes_health' }).click();
    await result.filter({ hasText: 'returned an error' }).waitFor();
    expect(browser.cspViolations).toEqual([]);
  });

  it('the playground shows a refused sign-in and can sign in again', async () => {
    await page.goto(`${platform.issuer}/servers/${serverId}`);
    const playground = page.getByTestId('playground');
    await playground.getByTestId('playground-status').waitFor();
    await playground.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in to the playground' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((u) => u.pathname === '/playground/callback');
    await page
      .getByRole('alert')
      .filter({ hasText: 'was not allowed to use this server' })
      .waitFor();
    await page.getByRole('link', { name: 'Back to the server' }).click();
    await page.getByRole('button', { name: 'Open playground' }).click();
    await page.getByRole('button', { name: 'Sign in to the playground' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByTestId('playground-status').waitFor();
  });

  it('lets a page on an allowed origin call the server cross-origin, and refuses any other origin', async () => {
    const provider = new MemoryOAuthProvider('http://127.0.0.1:53690/callback', 'Web app');
    expect(await auth(provider, { serverUrl: mcpUrl })).toBe('REDIRECT');
    const { code } = await approveInBrowser(
      provider.authorizationUrl!,
      owner,
      provider.redirectUrl,
    );
    await auth(provider, { serverUrl: mcpUrl, authorizationCode: code });
    const token = provider.tokens()!.access_token;

    const appPage = await browser.newPage();
    await appPage.goto(`${app.origin}/`);
    // Without a token the page can read the challenge: it names the metadata and the scope.
    const anonymous = await fetchFromPage(appPage, mcpUrl);
    expect(anonymous.status).toBe(401);
    expect(anonymous.challenge).toContain('resource_metadata=');
    expect(anonymous.challenge).toContain('scope="mcp:read mcp:write"');
    const served = await fetchFromPage(appPage, mcpUrl, token);
    expect(served.status).toBe(200);
    expect(served.session).toMatch(/^[a-z2-7]{32}$/);

    const otherPage = await browser.newPage();
    await otherPage.goto(`${other.origin}/`);
    const refused = await fetchFromPage(otherPage, mcpUrl, token);
    expect(refused.error).toMatch(/TypeError: Failed to fetch/);
    // What the browser saw: the preflight answered 403, with no CORS header.
    const preflight = await fetch(mcpUrl, {
      method: 'OPTIONS',
      headers: {
        origin: other.origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    // And a request that skips the preflight (not a browser) is refused the same way.
    const direct = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        origin: other.origin,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify(initialize),
    });
    expect(direct.status).toBe(403);
    await appPage.close();
    await otherPage.close();
  });

  it('the owner allows an origin on the server page, and a page there can then call the server', async () => {
    const token = await tokenFor('Second web app');
    const site = await browser.newPage();
    await site.goto(`${other.origin}/`);
    expect((await fetchFromPage(site, mcpUrl, token)).error).toMatch(/Failed to fetch/);

    await page.goto(`${platform.issuer}/servers/${serverId}`);
    const origins = page.getByRole('list', { name: 'Allowed origins' });
    await origins.getByText(app.origin).waitFor();
    await page.getByLabel('Allow an origin').fill(`${other.origin}/`);
    await page.getByRole('button', { name: 'Allow', exact: true }).click();
    // Not in the form a browser sends: refused with the form to write, nothing published.
    await page.getByRole('alert').filter({ hasText: other.origin }).waitFor();
    await page.getByLabel('Allow an origin').fill(other.origin);
    await page.getByRole('button', { name: 'Allow', exact: true }).click();
    await origins.getByText(other.origin).waitFor();

    // The runner applies the new version within its server cache's revalidation (5 s).
    let served: PageFetch = {};
    for (let i = 0; i < 40 && served.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      served = await fetchFromPage(site, mcpUrl, token);
    }
    expect(served.status).toBe(200);

    await page.getByRole('button', { name: `Remove ${other.origin}` }).click();
    await origins.getByText(other.origin).waitFor({ state: 'detached' });
    expect(browser.cspViolations).toEqual([]);
    await site.close();
  });

  it('the SDK 1.x client and @modelcontextprotocol/client 2.x each complete discovery → OAuth → tools', async () => {
    // SDK 1.x: 401 → PRM → AS metadata → DCR → PKCE → token, then tools.
    const legacy = new MemoryOAuthProvider('http://127.0.0.1:53691/callback', 'SDK 1.x client');
    expect(await auth(legacy, { serverUrl: mcpUrl })).toBe('REDIRECT');
    const first = await approveInBrowser(legacy.authorizationUrl!, owner, legacy.redirectUrl);
    await auth(legacy, { serverUrl: mcpUrl, authorizationCode: first.code });
    const v1 = new Client({ name: 'sdk-1', version: '1' });
    await v1.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: legacy }));
    expect((await v1.listTools()).tools.map((t) => t.name)).toEqual([
      'get_note',
      'add_note',
      'notes_health',
    ]);
    const r1 = await v1.callTool({ name: 'get_note', arguments: { id: 'v1' } });
    expect(JSON.stringify(r1.content)).toContain('Buy milk');
    await v1.close();

    // @modelcontextprotocol/client 2.x, negotiating the era itself.
    const modern = new ModernMemoryOAuthProvider(
      'http://127.0.0.1:53692/callback',
      'SDK 2.x client',
    );
    const transport = new ModernTransport(new URL(mcpUrl), { authProvider: modern });
    const v2 = new ModernClient(
      { name: 'sdk-2', version: '2' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await expect(v2.connect(transport)).rejects.toThrow();
    const { redirect } = await approveInBrowser(
      modern.authorizationUrl!,
      owner,
      modern.redirectUrl,
    );
    await transport.finishAuth(redirect.searchParams);
    const v2b = new ModernClient(
      { name: 'sdk-2', version: '2' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await v2b.connect(new ModernTransport(new URL(mcpUrl), { authProvider: modern }));
    expect(v2b.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect((await v2b.listTools()).tools.map((t) => t.name)).toEqual([
      'get_note',
      'add_note',
      'notes_health',
    ]);
    const r2 = await v2b.callTool({ name: 'get_note', arguments: { id: 'v2' } });
    expect(JSON.stringify(r2.content)).toContain('Buy milk');
    await v2b.close();
  });

  it('an SDK 1.x client that steps up for a write tool keeps mcp:read', async () => {
    // SDK 1.x answers 403 insufficient_scope by re-authorizing with exactly the challenged scope,
    // unless it holds a refresh token (then it refreshes, which cannot widen scope, RFC 6749 §6,
    // and gives up); this client keeps none, like clients that store no refresh tokens.
    class NoRefreshProvider extends MemoryOAuthProvider {
      override saveTokens(tokens: Parameters<MemoryOAuthProvider['saveTokens']>[0]) {
        super.saveTokens({ ...tokens, refresh_token: undefined });
      }
    }
    const provider = new NoRefreshProvider('http://127.0.0.1:53693/callback', 'Step-up client');
    expect(await auth(provider, { serverUrl: mcpUrl, scope: 'mcp:read' })).toBe('REDIRECT');
    const first = await approveInBrowser(provider.authorizationUrl!, owner, provider.redirectUrl);
    await auth(provider, { serverUrl: mcpUrl, authorizationCode: first.code });
    expect(scopesOf(provider.tokens()!.access_token)).toEqual(['mcp:read']);

    const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
      authProvider: provider,
    });
    const client = new Client({ name: 'step-up', version: '1' });
    await client.connect(transport);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual([
      'get_note',
      'notes_health',
    ]);
    await expect(
      client.callTool({ name: 'add_note', arguments: { text: 'milk' } }),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    // The re-authorization asks for what the token held plus what the tool needs.
    expect(provider.authorizationUrl!.searchParams.get('scope')).toBe('mcp:read mcp:write');
    const second = await approveInBrowser(provider.authorizationUrl!, owner, provider.redirectUrl);
    await transport.finishAuth(second.code);
    expect(scopesOf(provider.tokens()!.access_token)).toEqual(['mcp:read', 'mcp:write']);

    const added = await client.callTool({ name: 'add_note', arguments: { text: 'milk' } });
    expect(added.isError).toBeFalsy();
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual([
      'get_note',
      'add_note',
      'notes_health',
    ]);
    await client.close();
  });

  it('the MCP Inspector CLI completes discovery → OAuth → tools in the modern era', async () => {
    const home = mkdtempSync(join(tmpdir(), 'moat-inspector-'));
    const approve = async (url: URL, redirectUrl: string) =>
      (await approveInBrowser(url, owner, redirectUrl)).redirect;
    try {
      const era = ['--protocol-era', INSPECTOR_ERA];
      const list = await runInspectorCli([mcpUrl, ...era, '--method', 'tools/list'], {
        home,
        approve,
      });
      expect(list.code, list.stderr).toBe(0);
      const listed = JSON.parse(list.stdout) as { result: { tools: { name: string }[] } };
      expect(listed.result.tools.map((t) => t.name)).toEqual([
        'get_note',
        'add_note',
        'notes_health',
      ]);

      const call = await runInspectorCli(
        [
          mcpUrl,
          ...era,
          '--method',
          'tools/call',
          '--tool-name',
          'get_note',
          '--tool-arg',
          'id=cli',
        ],
        { home, approve },
      );
      expect(call.code, call.stderr).toBe(0);
      expect(call.stdout).toContain('Buy milk');
      // The second run reused the first run's stored token: one sign-in, as a user would expect.
      expect(call.stderr).not.toContain('Please navigate to');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
