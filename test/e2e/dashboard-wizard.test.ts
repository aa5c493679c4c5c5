// The wizard end to end in Chromium: an OpenAPI document of a local downstream API and a prompt
// answered by the local fake model become live MCP servers; the build log streams into the page
// over WebSocket; a failing tool stops the build with its reason; then the server page (tools,
// secrets, builds, version diff and rollback) and the audit log show what happened.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserSession } from '../support/browser';
import {
  closeDashboard,
  openDashboard,
  screenshot,
  type DashboardSession,
} from '../support/dashboard';
import { MemoryOAuthProvider } from '../support/mcp-oauth';
import { NOTES_API_KEY, type NotesApi } from '../support/notes-api';
import type { Platform } from '../support/platform';

type WsMessage = { type: string; line?: { step: string; level: string; message: string } };

/** Collects the build-log WebSocket messages the page receives. */
function recordBuildSocket(page: Page): WsMessage[] {
  const messages: WsMessage[] = [];
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/v1/builds/')) return;
    ws.on('framereceived', (f) => messages.push(JSON.parse(String(f.payload)) as WsMessage));
  });
  return messages;
}

async function describeOpenApi(page: Page, doc: string, name: string) {
  await page.goto(page.url().replace(/\/[^/]*\/?[^/]*$/, '/servers/new'));
  await page.getByLabel('OpenAPI document').fill(doc);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByTestId('slug-status').filter({ hasText: 'is available' }).waitFor();
  await page.getByRole('button', { name: 'Preview tools' }).click();
  await page.getByRole('heading', { name: /^Tools/ }).waitFor();
}

describe('dashboard wizard', () => {
  let platform: Platform;
  let browser: BrowserSession;
  let api: NotesApi;
  let page: Page;
  let session: DashboardSession | undefined;

  beforeAll(async () => {
    session = await openDashboard('owner@example.com');
    ({ platform, browser, api, page } = session);
  });
  afterAll(() => closeDashboard(session));

  it('turns an OpenAPI document into a live server, streaming the build log into the page', async () => {
    const started = Date.now();
    await describeOpenApi(page, api.openapi(), 'Notes');
    expect(await page.getByTestId('review-tool').count()).toBe(3);
    // Each tool shows what it returns (issue 14): here the default budget, as no operation pages.
    const response = page.getByTestId('review-response').first();
    await response.locator('summary').click();
    await response
      .getByText('Results over 20,000 tokens are cut at whole items, with a note.')
      .waitFor();
    await page.getByRole('button', { name: 'Build and publish' }).click();
    await page.getByText('Enter NOTES_KEY; the build tests tools with it.').waitFor();
    await page.getByLabel('NOTES_KEY').fill(NOTES_API_KEY);
    await screenshot(page, 'wizard-review');

    const socket = recordBuildSocket(page);
    await page.getByRole('button', { name: 'Build and publish' }).click();
    await page.getByTestId('build-succeeded').waitFor({ timeout: 30_000 });
    console.info(`wizard (OpenAPI, 3 tools) to live URL: ${Date.now() - started} ms`);
    await screenshot(page, 'wizard-build');

    const url = `${platform.runnerOrigin}/notes/mcp`;
    expect(await page.getByTestId('mcp-url').textContent()).toBe(url);
    const steps = socket.filter((m) => m.type === 'line').map((m) => m.line!.step);
    expect(new Set(steps)).toEqual(
      new Set(['validate', 'secrets', 'compile', 'test', 'publish', 'smoke']),
    );
    expect(socket.at(-1)).toMatchObject({ type: 'done', build: { status: 'succeeded' } });
    expect(await page.getByTestId('build-log').textContent()).toContain('getNote');
    // The read-only tools were called for real, with the credential injected as a header.
    expect(api.requests).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/notes', apiKey: NOTES_API_KEY }),
    );
    expect(api.requests.some((r) => r.method === 'POST')).toBe(false);
    for (const client of ['Claude Code', 'Cursor', 'VS Code', 'MCP Inspector']) {
      await page.getByRole('button', { name: `Copy ${client}` }).waitFor();
    }
    expect(await page.getByRole('link', { name: 'Open in Cursor' }).getAttribute('href')).toMatch(
      /^cursor:\/\/anysphere\.cursor-deeplink\/mcp\/install\?name=notes&config=/,
    );

    const anonymous = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain(
      `resource_metadata="${platform.runnerOrigin}/.well-known/oauth-protected-resource/notes/mcp"`,
    );
  });

  it('stops the build at the failing tool with its reason and publishes nothing', async () => {
    await describeOpenApi(page, api.openapi({ includeBroken: true }), 'Broken notes');
    await page.getByLabel('NOTES_KEY').fill(NOTES_API_KEY);
    await page.getByRole('button', { name: 'Build and publish' }).click();
    const failed = page.getByTestId('build-failed');
    await failed.waitFor({ timeout: 30_000 });
    const text = (await failed.textContent())!;
    expect(text).toContain('The build stopped at “test”. Nothing was published.');
    expect(text).toContain('getBroken');
    expect(text).toContain('What to do:');
    await screenshot(page, 'wizard-build-failed');
    // The server exists as a draft with no published version. (Asked through the API, not the
    // runner: a runner lookup now would be cached as "unknown slug" for a few seconds.)
    const list = (await (await page.request.get(`${platform.issuer}/v1/servers`)).json()) as {
      servers: { slug: string; version: number | null }[];
    };
    expect(list.servers.find((s) => s.slug === 'broken-notes')).toMatchObject({ version: null });

    // Back to review keeps the edits; leaving the failing tool out makes the build pass.
    await page.getByRole('button', { name: 'Back to review' }).click();
    expect(await page.getByLabel('NOTES_KEY').inputValue()).toBe(NOTES_API_KEY);
    await page
      .getByTestId('review-tool')
      .filter({ hasText: '/broken' })
      .getByLabel('Include')
      .uncheck();
    await page.getByRole('button', { name: 'Build and publish' }).click();
    await page.getByTestId('build-succeeded').waitFor({ timeout: 30_000 });
    expect(
      (
        await fetch(
          `${platform.runnerOrigin}/.well-known/oauth-protected-resource/broken-notes/mcp`,
        )
      ).status,
    ).toBe(200);
  });

  it('builds a server from a prompt answered by the local model, with no credentials', async () => {
    await page.goto(`${platform.issuer}/servers/new`);
    await page.getByLabel('Prompt', { exact: true }).check();
    await page
      .getByRole('textbox', { name: 'Prompt' })
      .fill(`A server that reads ${api.origin}/status`);
    await page.getByLabel('Name', { exact: true }).fill('Status reader');
    await page.getByTestId('slug-status').filter({ hasText: 'is available' }).waitFor();
    await page.getByRole('button', { name: 'Preview tools' }).click();
    await page.getByTestId('no-credentials').waitFor();
    expect(await page.getByTestId('review-tool').count()).toBe(1);
    await page.getByRole('button', { name: 'Build and publish' }).click();
    await page.getByTestId('build-succeeded').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('mcp-url').textContent()).toBe(
      `${platform.runnerOrigin}/status-reader/mcp`,
    );
    expect(api.requests).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/status' }),
    );
  });

  it('shows a server with its tools, secrets, builds, version diff and one-click rollback', async () => {
    await page.goto(`${platform.issuer}/servers`);
    const row = page.getByRole('row', { name: /Notes/ }).filter({ hasText: '/notes/mcp' });
    expect(await row.textContent()).toContain('live');
    await screenshot(page, 'servers');
    await row.getByRole('link', { name: 'Notes' }).click();
    await page.getByRole('heading', { name: 'Notes', exact: true }).waitFor();
    const id = page.url().split('/').pop()!;

    expect(await page.getByRole('row', { name: /getNote/ }).textContent()).toContain('mcp:read');
    expect(await page.getByRole('row', { name: /createNote/ }).textContent()).toContain(
      'mcp:write',
    );
    await page
      .getByRole('row')
      .filter({ hasText: 'NOTES_KEY' })
      .getByText('set', { exact: true })
      .waitFor();
    await page.getByRole('region', { name: 'Builds' }).getByText('succeeded').waitFor();

    // v2 through the API (a changed description), then compare and roll back in the page.
    const csrf = (await browser.context.cookies()).find((c) => c.name === 'moat_csrf')!.value;
    const current = (await (
      await page.request.get(`${platform.issuer}/v1/servers/${id}`)
    ).json()) as {
      spec: { tools: { name: string; description: string }[] };
    };
    const tools2 = current.spec.tools.map((t) =>
      t.name === 'getNote' ? { ...t, description: 'Fetch one note' } : t,
    );
    const patched = await page.request.patch(`${platform.issuer}/v1/servers/${id}`, {
      data: { tools: tools2 },
      headers: { origin: platform.issuer, 'x-csrf-token': csrf },
    });
    expect(patched.status()).toBe(200);
    await page.reload();
    const versions = page.getByRole('region', { name: 'Versions' });
    await versions.getByLabel('From').selectOption('1');
    await versions.getByLabel('To').selectOption('2');
    await versions.getByRole('button', { name: 'Compare tools' }).click();
    expect(await versions.locator('.diff').textContent()).toBe('changed getNote (description)');
    await screenshot(page, 'server-detail');

    page.once('dialog', (d) => void d.accept());
    await versions.getByRole('button', { name: 'Roll back to v1' }).click();
    await versions.getByRole('row', { name: /v3/ }).getByText('live').waitFor();
    const after = (await (
      await page.request.get(`${platform.issuer}/v1/servers/${id}`)
    ).json()) as {
      version: number;
      spec: { tools: { name: string; description: string }[] };
    };
    expect(after.version).toBe(3);
    expect(after.spec.tools.find((t) => t.name === 'getNote')?.description).toBe(
      current.spec.tools.find((t) => t.name === 'getNote')?.description,
    );
  });

  it('lists the events in the audit log, filters them and exports CSV', async () => {
    await page.goto(`${platform.issuer}/audit`);
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    const text = (await table.textContent())!;
    for (const action of ['user.signup', 'build.succeeded', 'build.failed', 'server.updated']) {
      expect(text).toContain(action);
    }
    await screenshot(page, 'audit');

    await page.getByLabel('Action').fill('build.*');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(
      () =>
        !document
          .querySelector('[data-testid="audit-table"]')
          ?.textContent?.includes('user.signup'),
    );
    const actions = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.startsWith('build.'))).toBe(true);

    await table.getByRole('button', { name: 'Show JSON' }).first().click();
    expect(await table.locator('pre.json').first().textContent()).toContain('"slug"');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = await (await download.createReadStream()).toArray();
    const body = Buffer.concat(csv as Buffer[]).toString('utf8');
    expect(body.split('\n')[0]).toBe('time,action,actor,resource,ip,metadata');
    expect(body).toContain('build.succeeded');
    expect(body).not.toContain('user.signup');
  });

  it('connects a real MCP client through consent in the browser, then revokes it from the server page', async () => {
    const mcpUrl = new URL(`${platform.runnerOrigin}/notes/mcp`);
    const redirectUrl = 'http://127.0.0.1:53683/callback';
    const provider = new MemoryOAuthProvider(redirectUrl, 'Dashboard E2E client');
    const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await expect(new Client({ name: 'e2e', version: '1' }).connect(first)).rejects.toBeInstanceOf(
      UnauthorizedError,
    );

    // The signed-in owner approves on the platform's consent page, in Chromium.
    const callback = page.waitForRequest((r) => r.url().startsWith(redirectUrl));
    await page.goto(provider.authorizationUrl!.toString());
    await page.getByText('Dashboard E2E client').first().waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();
    const code = new URL((await callback).url()).searchParams.get('code');
    expect(code).toBeTruthy();
    await first.finishAuth(code!);

    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    const result = await client.callTool({ name: 'getNote', arguments: { id: 'n7' } });
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.content)).toContain('Buy milk');
    await client.close();

    await page.goto(`${platform.issuer}/servers`);
    await page.getByRole('link', { name: 'Notes', exact: true }).click();
    const clients = page.getByRole('region', { name: 'Connected clients' });
    const row = clients.getByRole('row', { name: /Dashboard E2E client/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('unverified');
    await screenshot(page, 'server-clients');
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await clients.getByText('No client is connected.').waitFor();

    const refresh = await fetch(`${platform.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: provider.tokens()!.refresh_token!,
        client_id: provider.clientInformation()!.client_id,
        resource: mcpUrl.toString(),
      }),
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it("probes the runner on the status page once a server names the runner's origin", async () => {
    await page.goto(`${platform.issuer}/status`);
    const runner = page.getByRole('row', { name: /Runner/ });
    await runner.getByText('Up', { exact: true }).waitFor();
    expect(await runner.textContent()).toContain(`${platform.runnerOrigin}/api/health`);
  });

  it('ran the wizard, the live build log and the status page without a CSP violation', () => {
    expect(browser.cspViolations).toEqual([]);
  });
});
