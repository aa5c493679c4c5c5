// Toolsets in the dashboard, in Chromium (issue 14): the synthetic 600-operation document is
// previewed, the review step shows the toolsets proposed from its tags; one is renamed and
// described, a tool moved into it, another removed; the build publishes them, the server page
// lists each toolset URL with its install snippets, and the runner serves its own metadata.
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticOpenApiText } from '../fixtures/large-openapi';
import {
  closeDashboard,
  openDashboard,
  screenshot,
  type DashboardSession,
} from '../support/dashboard';
import type { Platform } from '../support/platform';

describe('toolsets in the dashboard', () => {
  let platform: Platform;
  let page: Page;
  let session: DashboardSession | undefined;
  let things: Server;
  let thingsOrigin: string;

  beforeAll(async () => {
    // The synthetic document's API: every path answers 200 JSON, so the build's test calls pass.
    things = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: req.url, name: 'thing' }));
    });
    await new Promise<void>((ok) => things.listen(0, '127.0.0.1', ok));
    thingsOrigin = `http://127.0.0.1:${(things.address() as { port: number }).port}`;
    session = await openDashboard('toolsets@example.com');
    ({ platform, page } = session);
  });
  afterAll(async () => {
    await closeDashboard(session);
    things?.close();
  });

  it('proposes toolsets from tags, edits them on the review step and lists their URLs', async () => {
    await page.goto(`${platform.issuer}/servers/new`);
    await page.getByLabel('OpenAPI document').fill(syntheticOpenApiText(thingsOrigin));
    await page.getByLabel('Name', { exact: true }).fill('Things');
    await page.getByTestId('slug-status').filter({ hasText: 'is available' }).waitFor();
    await page.getByRole('button', { name: 'Preview tools' }).click();
    await page.getByRole('heading', { name: /^Toolsets/ }).waitFor();
    // The first 20 operations (things 0–9) fall under the tags group-0 … group-9.
    expect(await page.getByTestId('review-toolset').count()).toBe(10);

    await page.locator('#toolset-0-name').fill('Core');
    await page.getByRole('button', { name: 'Build and publish' }).click();
    await page.getByText('lowercase letters, digits and -').first().waitFor();
    await page.locator('#toolset-0-name').fill('core');
    await page.locator('#toolset-0-description').fill('The first things');
    await page.getByLabel('Move putThing1 to').selectOption({ label: 'core' });
    await page.getByRole('button', { name: 'Remove toolset group-9' }).click();
    expect(await page.getByTestId('review-toolset').count()).toBe(9);
    await screenshot(page, 'wizard-review-toolsets');
    await page.getByRole('button', { name: 'Build and publish' }).click();
    await page.getByTestId('build-succeeded').waitFor({ timeout: 60_000 });

    const { servers } = (await (
      await page.request.get(`${platform.issuer}/v1/servers`)
    ).json()) as {
      servers: { id: string; slug: string }[];
    };
    const { id, slug } = servers.find((s) => s.slug === 'things')!;
    const published = (await (
      await page.request.get(`${platform.issuer}/v1/servers/${id}`)
    ).json()) as { spec: { toolsets: { name: string; description?: string; tools: string[] }[] } };
    expect(published.spec.toolsets).toHaveLength(9);
    expect(published.spec.toolsets[0]).toMatchObject({
      name: 'core',
      description: 'The first things',
      tools: ['getThing0', 'putThing0', 'putThing1'],
    });
    expect(published.spec.toolsets[1]).toMatchObject({ name: 'group-1', tools: ['getThing1'] });
    expect(published.spec.toolsets.map((t) => t.name)).not.toContain('group-9');

    await page.goto(`${platform.issuer}/servers/${id}`);
    const urls = page.getByTestId('toolset-url');
    await urls.first().waitFor();
    const coreUrl = `${platform.runnerOrigin}/${slug}/core/mcp`;
    expect(await urls.first().textContent()).toBe(coreUrl);
    await page
      .getByTestId('toolset')
      .first()
      .getByRole('button', { name: 'Install snippets' })
      .click();
    await page.getByText(`claude mcp add --transport http ${slug}-core ${coreUrl}`).waitFor();
    await screenshot(page, 'server-toolsets');

    const prm = await fetch(
      `${platform.runnerOrigin}/.well-known/oauth-protected-resource/${slug}/core/mcp`,
    );
    expect(await prm.json()).toMatchObject({
      resource: coreUrl,
      scopes_supported: ['mcp:read', 'mcp:write'],
    });
  });
});
