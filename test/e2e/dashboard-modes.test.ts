// Discovery modes in the dashboard, in Chromium (issue 14): the server page's Discovery mode
// section says how the tools are offered and why; choosing search publishes a new version with the
// server's mode; choosing a toolset's mode, then "Automatic" for the server, publish the toolset's
// mode and remove the server's (a JSON merge patch null).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeDashboard,
  openDashboard,
  screenshot,
  type DashboardSession,
} from '../support/dashboard';
import type { Platform } from '../support/platform';

describe('discovery modes in the dashboard', () => {
  let platform: Platform;
  let page: Page;
  let session: DashboardSession | undefined;

  beforeAll(async () => {
    session = await openDashboard('modes@example.com');
    ({ platform, page } = session);
  });
  afterAll(() => closeDashboard(session));

  it('publishes the mode chosen for the server and for a toolset', async () => {
    const csrf = (await session!.browser.context.cookies()).find((c) =>
      /moat_csrf$/.test(c.name),
    )?.value;
    const headers = { origin: platform.issuer, 'x-csrf-token': csrf ?? '' };
    const tool = (name: string) => ({
      name,
      description: `Reads ${name}`,
      inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
      annotations: { readOnlyHint: true },
      http: { method: 'GET', url: `${session!.api.origin}/notes/{id}` },
    });
    const created = await page.request.post(`${platform.issuer}/v1/servers`, {
      headers,
      data: {
        name: 'Modes',
        slug: 'modes-ui',
        egress: ['127.0.0.1'],
        tools: [tool('get_a'), tool('get_b')],
        toolsets: [{ name: 'only-a', tools: ['get_a'] }],
      },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const spec = async () =>
      (await (await page.request.get(`${platform.issuer}/v1/servers/${id}`)).json()) as {
        version: number;
        spec: { mode?: string; toolsets: { mode?: string }[] };
      };

    await page.goto(`${platform.issuer}/servers/${id}`);
    await page.getByTestId('mode-now').filter({ hasText: 'tools (2 tools, at most 40)' }).waitFor();
    await page.getByLabel('The server', { exact: true }).selectOption('search');
    await page.getByTestId('mode-now').filter({ hasText: 'search (set on the server)' }).waitFor();
    await screenshot(page, 'server-discovery-mode');
    expect(await spec()).toMatchObject({ version: 2, spec: { mode: 'search' } });

    await page.getByLabel('Toolset only-a').selectOption('code');
    await expect.poll(async () => (await spec()).spec.toolsets[0]?.mode).toBe('code');
    await page.getByLabel('The server', { exact: true }).selectOption('');
    await page.getByTestId('mode-now').filter({ hasText: 'tools (2 tools, at most 40)' }).waitFor();
    const last = await spec();
    expect(last.version).toBe(4);
    expect(last.spec.mode).toBeUndefined();
    expect(last.spec.toolsets[0]?.mode).toBe('code');
  });
});
