// Per-user connections in the dashboard, in Chromium (issue 13): an OpenAPI document with an
// `oauth2` authorization-code scheme becomes a server with a connection through the wizard (the
// review step shows the redirect URI to register, and the build waits for the client ID); the
// owner links their own account at the provider (a real oidc-provider), sees it under Settings →
// Connected accounts and in the server page's Connections panel, and removes it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeDashboard,
  openDashboard,
  screenshot,
  type DashboardSession,
} from '../support/dashboard';
import { MemoryOAuthProvider } from '../support/mcp-oauth';
import { approveWithConnections } from '../support/mcp-oauth-connections';
import { startProvider, type StartedProvider } from '../support/oauth-provider/index';
import type { Platform } from '../support/platform';

const OWNER = 'conn-owner@example.com';
const PASSWORD = 'correct horse battery staple'; // what openDashboard signs up with

/** A downstream API whose operations need each user's own token, plus one public operation. */
function oauthDocument(apiOrigin: string, publicOrigin: string, providerOrigin: string): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Notes Cloud', version: '1.0.0' },
    servers: [{ url: apiOrigin }],
    components: {
      securitySchemes: {
        notesOAuth: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: `${providerOrigin}/auth`,
              tokenUrl: `${providerOrigin}/token`,
              scopes: { 'notes:read': 'Read your notes', 'notes:write': 'Write notes' },
            },
          },
        },
      },
    },
    paths: {
      '/whoami': {
        get: {
          operationId: 'whoAmI',
          summary: 'Who the API thinks is calling',
          security: [{ notesOAuth: ['notes:read'] }],
          responses: { '200': { description: 'OK' } },
        },
      },
      '/status': {
        get: {
          operationId: 'getStatus',
          summary: 'Service status',
          servers: [{ url: publicOrigin }],
          responses: { '200': { description: 'OK' } },
        },
      },
    },
  });
}

/** One tool call as the dashboard's owner through the MCP SDK client (its own consent). */
async function callAsOwner(platform: Platform, tool: string) {
  const mcpUrl = new URL(`${platform.runnerOrigin}/notes-cloud/mcp`);
  const redirectUrl = 'http://127.0.0.1:53691/callback';
  const auth = new MemoryOAuthProvider(redirectUrl);
  const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: auth });
  await expect(new Client({ name: 'e2e', version: '1' }).connect(first)).rejects.toBeInstanceOf(
    UnauthorizedError,
  );
  const { code } = await approveWithConnections(
    auth.authorizationUrl!,
    { email: OWNER, password: PASSWORD },
    redirectUrl,
    'owner-at-notes',
  );
  await first.finishAuth(code);
  const client = new Client({ name: 'e2e', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: auth }));
  const result = await client.callTool({ name: tool, arguments: {} });
  await client.close();
  const text = (result.content as { type: string; text: string }[])[0]!.text;
  return { isError: result.isError === true, text };
}

async function preview(page: Page, issuer: string, doc: string, name: string) {
  await page.goto(`${issuer}/servers/new`);
  await page.getByLabel('OpenAPI document').fill(doc);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByTestId('slug-status').filter({ hasText: 'is available' }).waitFor();
  await page.getByRole('button', { name: 'Preview tools' }).click();
  await page.getByRole('heading', { name: /^Tools/ }).waitFor();
}

describe('dashboard: per-user connections', () => {
  let session: DashboardSession | undefined;
  let platform: Platform;
  let page: Page;
  let provider: StartedProvider | undefined;
  let serverId: string;

  beforeAll(async () => {
    session = await openDashboard(OWNER);
    ({ platform, page } = session);
    provider = await startProvider({ moatIssuers: [platform.issuer] });
  });
  afterAll(async () => {
    await provider?.close();
    await closeDashboard(session);
  });

  it('turns an oauth2 scheme into a connection through the wizard, showing the redirect URI to register', async () => {
    const { api } = session!;
    const { issuer, downstreamOrigin } = provider!;
    await preview(
      page,
      platform.issuer,
      oauthDocument(downstreamOrigin, api.origin, issuer),
      'Notes Cloud',
    );

    const card = page.getByTestId('review-connection');
    expect(await card.count()).toBe(1);
    const text = (await card.textContent())!;
    expect(text).toContain('Notes Cloud');
    expect(text).toContain('notes:read');
    expect(text).not.toContain('notes:write'); // only what the selected operations require
    expect(text).toContain('NOTES_CLIENT_SECRET');
    expect(await card.getByTestId('connection-redirect-uri').textContent()).toBe(
      `${platform.issuer}/connections/callback`,
    );
    await page.getByText(/Connection "notes": each user links their own account/).waitFor();
    // The preview's client-ID issue shows live at the field, not as a stale note at the top.
    expect(await page.getByText('connections.0.clientId').count()).toBe(0);
    await card.getByRole('button', { name: 'Copy redirect URI' }).click();
    await card.getByRole('button', { name: 'Copied' }).waitFor();

    // A public client (PKCE only) has no secret to ask for; unticking brings the field back.
    const publicClient = card.getByLabel(/Public client/);
    await publicClient.check();
    expect(await page.getByLabel('NOTES_CLIENT_SECRET').count()).toBe(0);
    await publicClient.uncheck();
    // The build waits for the client ID, and says so at the field.
    await page.getByLabel('NOTES_CLIENT_SECRET').fill(provider!.clientSecret);
    await page.getByRole('button', { name: 'Build and publish' }).click();
    await card
      .getByText('enter the client ID of the OAuth app registered at the provider')
      .waitFor();
    expect(await page.getByTestId('build-log').count()).toBe(0);

    await card.getByLabel('Client ID').fill(provider!.clientId);
    await screenshot(page, 'wizard-connections');
    await page.getByRole('button', { name: 'Build and publish' }).click();
    await page.getByTestId('build-succeeded').waitFor({ timeout: 30_000 });
    const log = (await page.getByTestId('build-log').textContent())!;
    expect(log).toContain(
      'whoAmI: schema checked; not called (it acts as each user through the notes connection',
    );
    // The public operation was called for real; the per-user one never was.
    expect(api.requests.map((r) => r.path)).toContain('/status');
    expect(api.requests.map((r) => r.path)).not.toContain('/whoami');

    const list = (await (await page.request.get(`${platform.issuer}/v1/servers`)).json()) as {
      servers: { id: string; slug: string }[];
    };
    serverId = list.servers.find((s) => s.slug === 'notes-cloud')!.id;
    const detail = (await (
      await page.request.get(`${platform.issuer}/v1/servers/${serverId}`)
    ).json()) as {
      spec: {
        connections: unknown[];
        tools: { name: string; http: { headers?: Record<string, string> } }[];
      };
    };
    expect(detail.spec.connections).toEqual([
      {
        name: 'notes',
        title: 'Notes Cloud',
        authorizationUrl: `${issuer}/auth`,
        tokenUrl: `${issuer}/token`,
        scopes: ['notes:read'],
        clientId: provider!.clientId,
        clientSecret: 'NOTES_CLIENT_SECRET',
      },
    ]);
    expect(detail.spec.tools.find((t) => t.name === 'whoAmI')?.http.headers).toMatchObject({
      Authorization: 'Bearer {{connections.notes.access_token}}',
    });
  });
  it('lets the owner link their account, see it in Connected accounts and the Connections panel, reconnect it when the provider drops it, and remove it', async () => {
    expect(serverId).toBeDefined();
    // The provider's access tokens for this account last 1 s: the next tool call must refresh.
    await fetch(`${provider!.issuer}/__accounts/owner-at-notes`, {
      method: 'POST',
      body: new URLSearchParams({ accessTokenTtl: '1' }),
    });
    const panel = page.getByTestId('server-connections');
    await page.goto(`${platform.issuer}/servers/${serverId}`);
    const row = panel.getByRole('row').filter({ hasText: 'Notes Cloud' });
    expect(await row.textContent()).toContain(`${platform.issuer}/connections/callback`);
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('0');

    // The standalone link flow the reconnect link points at: provider sign-in, then back.
    await page.goto(`${platform.issuer}/connections/${serverId}/notes/connect`);
    await page.getByLabel('Account').fill('owner-at-notes');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.origin === platform.issuer);
    await page
      .getByText(/connected/i)
      .first()
      .waitFor();
    expect(provider!.stats.bySub['owner-at-notes']?.codeGrants).toBe(1);

    await page.goto(`${platform.issuer}/servers/${serverId}`);
    await row.waitFor();
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('1');
    expect(await row.getByRole('cell').nth(3).textContent()).toBe('0');

    await page.goto(`${platform.issuer}/settings`);
    const accounts = page.getByTestId('connected-accounts');
    const account = accounts.getByRole('row').filter({ hasText: 'Notes Cloud' });
    await account.waitFor();
    expect(await account.textContent()).toContain('connected');
    expect(await account.textContent()).toContain('notes-cloud');
    await screenshot(page, 'settings-connected-accounts');

    // The provider drops the grant; the next call's refresh gets invalid_grant → reconnect needed.
    await fetch(`${provider!.issuer}/__accounts/owner-at-notes/revoke`, { method: 'POST' });
    const call = await callAsOwner(platform, 'whoAmI');
    expect(call.isError).toBe(true);
    const reconnect = `${platform.issuer}/connections/${serverId}/notes/connect`;
    expect(call.text).toContain(reconnect);
    await page.reload();
    await account.getByText('reconnect needed').waitFor();
    expect(await account.getByRole('link', { name: 'Reconnect' }).getAttribute('href')).toBe(
      reconnect,
    );
    await page.goto(`${platform.issuer}/servers/${serverId}`);
    await row.waitFor();
    expect(await row.getByRole('cell').nth(3).textContent()).toBe('1');

    // Reconnect from Settings: the provider again, then back, and the account works again.
    await page.goto(`${platform.issuer}/settings`);
    await account.getByRole('link', { name: 'Reconnect' }).click();
    // The provider may remember the signed-in account (its session) and skip its form.
    const back = (u: URL) => u.origin === platform.issuer && u.pathname === '/connections/callback';
    await page.waitForURL((u) => back(u) || u.pathname.startsWith('/interaction/'));
    if (!back(new URL(page.url()))) {
      await page.getByLabel('Account').fill('owner-at-notes');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(back);
    }
    await page.goto(`${platform.issuer}/settings`);
    await account.getByText('connected', { exact: true }).waitFor();
    expect(provider!.stats.bySub['owner-at-notes']?.codeGrants).toBe(2);

    page.once('dialog', (d) => void d.accept());
    await account.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('No connected accounts.', { exact: false }).waitFor();
    // (No revocation at the provider here: this connection names no revocation endpoint.)

    await page.goto(`${platform.issuer}/servers/${serverId}`);
    await row.waitFor();
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('0');
  });
  it("documents per-user connections with this platform's redirect URI and in the ServerSpec reference", async () => {
    await page.goto(`${platform.issuer}/docs/connections`);
    await page.getByRole('heading', { name: 'Per-user connections', level: 1 }).waitFor();
    expect(await page.getByTestId('docs-connection-redirect-uri').textContent()).toBe(
      `${platform.issuer}/connections/callback`,
    );
    await page.goto(`${platform.issuer}/docs/authoring`);
    const row = page
      .getByTestId('spec-reference')
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'connections[].clientId', exact: true }) });
    expect(await row.textContent()).toContain('{ISSUER}/connections/callback');
  });
});
