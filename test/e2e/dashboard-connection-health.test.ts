// Connection health and the connection recorder with real clients: the MCP SDK client with and
// without refresh (the one that re-authorizes is "never refreshes"), deliberately broken
// connections (a wrong resource, an unregistered redirect URI) whose diagnoses name the cause, a
// successful attempt with every step through the first MCP request, and the server page's
// Connections and health in Chromium (screenshots with MOAT_SCREENSHOTS).
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionAttempt } from '../../lib/api/connection-attempts';
import type { ServerClient } from '../../lib/api/server-clients';
import {
  closeDashboard,
  openDashboard,
  screenshot,
  type DashboardSession,
} from '../support/dashboard';
import { approveInBrowser, Browser, MemoryOAuthProvider } from '../support/mcp-oauth';
import type { Platform } from '../support/platform';

const EMAIL = 'health-owner@example.com';
const PASSWORD = 'correct horse battery staple';
const owner = { email: EMAIL, password: PASSWORD };

/** A client that registers without refresh_token and keeps no refresh token: it re-authorizes. */
class NoRefreshProvider extends MemoryOAuthProvider {
  override get clientMetadata(): OAuthClientMetadata {
    return { ...super.clientMetadata, grant_types: ['authorization_code'] };
  }
}

describe('connection health and the connection recorder', () => {
  let session: DashboardSession | undefined;
  let platform: Platform;
  let page: Page;
  let asOwner: Record<string, string>;
  let serverId: string;
  let mcpUrl: URL;

  beforeAll(async () => {
    session = await openDashboard(EMAIL);
    ({ platform, page } = session);
    const login = await fetch(`${platform.issuer}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(owner),
    });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    asOwner = {
      cookie: login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; '),
      origin: platform.issuer,
      'x-csrf-token': csrfToken,
      'content-type': 'application/json',
    };
    const slug = `health-${Date.now().toString(36)}`;
    const created = await fetch(`${platform.issuer}/v1/servers`, {
      method: 'POST',
      headers: asOwner,
      body: JSON.stringify({
        name: 'Health demo',
        slug,
        egress: ['127.0.0.1'],
        tools: [
          {
            name: 'status',
            description: 'Service status',
            inputSchema: { type: 'object' },
            annotations: { readOnlyHint: true },
            http: { method: 'GET', url: `${session.api.origin}/status` },
          },
        ],
      }),
    });
    expect(created.status).toBe(201);
    serverId = ((await created.json()) as { id: string }).id;
    mcpUrl = new URL(`${platform.runnerOrigin}/${slug}/mcp`);
  });
  afterAll(() => closeDashboard(session));

  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${platform.issuer}${path}`, { headers: asOwner });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  /** 401 → discovery → registration → the browser's sign-in and consent → token → tools/list. */
  async function connect(provider: MemoryOAuthProvider): Promise<void> {
    const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await expect(new Client({ name: 'e2e', version: '1' }).connect(first)).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    const { code } = await approveInBrowser(
      provider.authorizationUrl!,
      owner,
      provider.redirectUrl,
    );
    await first.finishAuth(code);
    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['status']);
    await client.close();
  }

  it('tells a client that refreshes from one that re-authorizes instead', async () => {
    const refreshing = new MemoryOAuthProvider('http://127.0.0.1:53701/callback', 'Refreshing app');
    await connect(refreshing);
    // The SDK refreshes when it holds a refresh token (OAuth 2.1 §4.3).
    expect(await auth(refreshing, { serverUrl: mcpUrl })).toBe('AUTHORIZED');

    const forgetful = new NoRefreshProvider('http://127.0.0.1:53702/callback', 'Forgetful app');
    await connect(forgetful);
    expect(forgetful.tokens()?.refresh_token).toBeUndefined();
    // Its token "expires": it drops it and goes through the authorization again.
    forgetful.saveTokens(undefined as never);
    await connect(forgetful);

    const { clients } = await get<{ clients: ServerClient[] }>(`/v1/servers/${serverId}/clients`);
    const byName = (n: string) => clients.find((c) => c.name === n);
    expect(byName('Refreshing app')).toMatchObject({ health: 'healthy', refreshCount: 1 });
    expect(byName('Forgetful app')).toMatchObject({
      health: 'never_refreshes',
      refreshCount: 0,
      authorizationCount: 2,
    });
  });

  it('records a successful attempt with every step through the first MCP request', async () => {
    const { attempts } = await get<{ attempts: ConnectionAttempt[] }>(
      `/v1/servers/${serverId}/connection-attempts?outcome=succeeded`,
    );
    const refreshing = attempts.find((a) => a.clientName === 'Refreshing app');
    expect(refreshing).toBeDefined();
    expect([...new Set(refreshing!.steps.map((s) => s.step))]).toEqual([
      'discovery',
      'registration',
      'authorize',
      'login',
      'consent',
      'token',
      'mcp_request',
    ]);
  });

  it('diagnoses a wrong resource and an unregistered redirect URI by name', async () => {
    const broken = new MemoryOAuthProvider('http://127.0.0.1:53703/callback', 'Broken app');
    const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: broken });
    await expect(
      new Client({ name: 'e2e', version: '1' }).connect(transport),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    const wrongResource = new URL(broken.authorizationUrl!);
    wrongResource.searchParams.set('resource', `${platform.runnerOrigin}/no-such-server/mcp`);
    const wrongRedirect = new URL(broken.authorizationUrl!);
    wrongRedirect.searchParams.set('redirect_uri', 'http://127.0.0.1:53799/elsewhere');
    // A second authorization request has its own PKCE challenge (RFC 7636 §4.1), so its own attempt.
    wrongRedirect.searchParams.set(
      'code_challenge',
      Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'),
    );
    for (const url of [wrongResource, wrongRedirect]) {
      const res = await new Browser().fetch(url);
      expect(res.status).toBe(400);
      await res.text();
    }
    const attempts = await waitFor(async () => {
      const { attempts: list } = await get<{ attempts: ConnectionAttempt[] }>(
        `/v1/servers/${serverId}/connection-attempts?outcome=failed`,
      );
      const codes = list.map((a) => a.diagnosis?.code);
      if (!codes.includes('resource_mismatch') || !codes.includes('redirect_uri_not_registered')) {
        throw new Error(`not yet: ${codes.join(', ')}`);
      }
      return list;
    });
    const mismatch = attempts.find((a) => a.diagnosis?.code === 'resource_mismatch')!;
    expect(mismatch.failedStep).toBe('authorize');
    expect(mismatch.diagnosis!.message).toContain(`${platform.runnerOrigin}/no-such-server/mcp`);
    expect(mismatch.diagnosis!.message).toContain(mcpUrl.toString());
    const redirect = attempts.find((a) => a.diagnosis?.code === 'redirect_uri_not_registered')!;
    expect(redirect.diagnosis!.message).toContain('http://127.0.0.1:53799/elsewhere');
    expect(redirect.diagnosis!.message).toContain('http://127.0.0.1:53703/callback');
  });

  it('shows the Connections section and the clients’ health on the server page', async () => {
    await page.goto(`${platform.issuer}/servers/${serverId}`);
    const health = page.getByTestId('client-health');
    await expect
      .poll(() => health.locator('[data-health="never_refreshes"]').count(), { timeout: 15_000 })
      .toBe(1);
    await expect
      .poll(() => health.locator('[data-health="healthy"]').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    const attempts = page.getByTestId('connection-attempts');
    await expect
      .poll(() => attempts.locator('[data-diagnosis="resource_mismatch"]').count(), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await page.getByLabel('Filter attempts by outcome').selectOption('failed');
    await expect
      .poll(() => attempts.locator('[data-outcome="succeeded"]').count(), { timeout: 15_000 })
      .toBe(0);
    await attempts.locator('details summary').first().click();
    await expect
      .poll(() => attempts.locator('[data-step]').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.locator('#client-health').scrollIntoViewIfNeeded();
    await screenshot(page, 'server-connection-health');
  });
});

async function waitFor<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
