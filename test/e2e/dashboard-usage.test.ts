// The server page's Usage section in Chromium, with real traffic: a machine client calls a
// server's tools through the runner (successes and a failing downstream), the runner's metrics
// reach D1 after their flush, and the section draws the counts, charts and per-tool table.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeDashboard,
  openDashboard,
  overflowsHorizontally,
  screenshot,
  type DashboardSession,
} from '../support/dashboard';
import { machineToken } from '../support/machine-token';
import { NOTES_API_KEY, type NotesApi } from '../support/notes-api';
import type { Platform } from '../support/platform';

describe('the Usage section', () => {
  let platform: Platform;
  let api: NotesApi;
  let page: Page;
  let session: DashboardSession | undefined;

  beforeAll(async () => {
    session = await openDashboard('usage@example.com');
    ({ platform, api, page } = session);
  });
  afterAll(() => closeDashboard(session));

  it('charts real tool calls: totals, errors by kind, latency and a per-tool table', async () => {
    const me = (await (await page.request.get(`${platform.issuer}/v1/me`)).json()) as {
      csrfToken: string;
    };
    const unsafe = { origin: platform.issuer, 'x-csrf-token': me.csrfToken };
    const keyRes = await page.request.post(`${platform.issuer}/v1/api-keys`, {
      headers: unsafe,
      data: { name: 'usage' },
    });
    const { key } = (await keyRes.json()) as { key: string };
    const asKey = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const tool = (name: string, path: string) => ({
      name,
      description: `GET ${path}`,
      inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
      annotations: { readOnlyHint: true },
      http: {
        method: 'GET',
        url: `${api.origin}${path}`,
        headers: { 'X-Notes-Key': '{{secrets.NOTES_KEY}}' },
      },
    });
    const created = await fetch(`${platform.issuer}/v1/servers`, {
      method: 'POST',
      headers: asKey,
      body: JSON.stringify({
        name: 'Notes usage',
        slug: 'notes-usage',
        secrets: [{ name: 'NOTES_KEY' }],
        egress: ['127.0.0.1'],
        tools: [
          tool('get_note', '/notes/{id}'),
          tool('list_notes', '/notes'),
          tool('broken', '/broken'),
        ],
      }),
    });
    expect(created.status).toBe(201);
    const server = (await created.json()) as { id: string; url: string };
    const secret = await fetch(`${platform.issuer}/v1/servers/${server.id}/secrets/NOTES_KEY`, {
      method: 'PUT',
      headers: asKey,
      body: JSON.stringify({ value: NOTES_API_KEY }),
    });
    expect(secret.status).toBe(200);

    const token = await machineToken(platform, key, {
      clientName: 'usage-bot',
      mcpUrl: server.url,
    });
    const mcp = new Client({ name: 'usage-bot', version: '1' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    for (let i = 0; i < 6; i++)
      await mcp.callTool({ name: 'get_note', arguments: { id: `n${i}` } });
    for (let i = 0; i < 3; i++) await mcp.callTool({ name: 'list_notes', arguments: {} });
    for (let i = 0; i < 2; i++) await mcp.callTool({ name: 'broken', arguments: {} });
    await mcp.close();

    // The runner flushes its counts off the response path, a few seconds later.
    const metricsUrl = `${platform.issuer}/v1/servers/${server.id}/metrics?window=1h`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const m = (await (await page.request.get(metricsUrl)).json()) as {
        totals: { calls: number };
      };
      if (m.totals.calls >= 11) break;
      if (Date.now() > deadline) throw new Error(`metrics show ${m.totals.calls} calls of 11`);
      await new Promise((r) => setTimeout(r, 500));
    }

    await page.goto(`${platform.issuer}/servers/${server.id}`);
    await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
    await page.getByTestId('usage').waitFor();
    expect(await page.getByTestId('usage-calls').textContent()).toBe('11');
    expect(await page.getByTestId('usage-errors').textContent()).toContain('2');
    await page.getByTestId('usage-calls-chart').waitFor();
    await page.getByTestId('usage-latency-chart').waitFor();
    const rows = page.getByTestId('usage-tools').locator('tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.first().textContent()).toContain('get_note');
    const broken = page.getByTestId('usage-tools').locator('tbody tr', { hasText: 'broken' });
    expect(await broken.textContent()).toContain('2 API 5xx');
    expect(await page.locator('.usage-spark').count()).toBe(3);

    // The window picker asks for the hour as well.
    await page.getByRole('button', { name: '1h' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: '1h' }).getAttribute('aria-pressed'))
      .toBe('true');
    await page.getByTestId('usage').waitFor();
    await page.getByTestId('usage').scrollIntoViewIfNeeded();
    await screenshot(page, 'server-usage');

    // Readable on a phone: no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('usage-calls-chart').scrollIntoViewIfNeeded();
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'server-usage-phone');
  });
});
