// Resources, resource templates and prompts in the dashboard, in Chromium: a hand-written spec
// declaring them goes through the wizard's review step (rename one, remove one), builds, and the
// server page lists what was published with the scopes each needs.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeDashboard,
  openDashboard,
  screenshot,
  type DashboardSession,
} from '../support/dashboard';
import { NOTES_API_KEY, type NotesApi } from '../support/notes-api';
import type { Platform } from '../support/platform';

describe('resources and prompts in the dashboard', () => {
  let platform: Platform;
  let api: NotesApi;
  let page: Page;
  let session: DashboardSession | undefined;

  beforeAll(async () => {
    session = await openDashboard('primitives@example.com');
    ({ platform, api, page } = session);
  });
  afterAll(() => closeDashboard(session));

  it('reviews, edits and publishes them, and the server page lists them', async () => {
    const spec = {
      name: 'Notes library',
      slug: 'notes-library',
      secrets: [{ name: 'NOTES_KEY' }],
      egress: ['127.0.0.1'],
      tools: [
        {
          name: 'status',
          description: 'Service status',
          inputSchema: { type: 'object' },
          annotations: { readOnlyHint: true },
          http: { method: 'GET', url: `${api.origin}/status` },
        },
      ],
      resources: [
        { uri: 'notes://readme', name: 'readme', mimeType: 'text/markdown', text: '# Notes' },
        { uri: 'notes://draft', name: 'draft', mimeType: 'text/plain', text: 'draft' },
      ],
      resourceTemplates: [
        {
          uriTemplate: 'notes://note/{id}',
          name: 'note',
          mimeType: 'application/json',
          scopes: ['mcp:notes'],
          http: {
            method: 'GET',
            url: `${api.origin}/notes/{id}`,
            headers: { 'X-Notes-Key': '{{secrets.NOTES_KEY}}' },
          },
        },
      ],
      prompts: [
        {
          name: 'summarize',
          arguments: [{ name: 'id', required: true }],
          messages: [{ role: 'user', text: 'Summarize note {id}.' }],
        },
      ],
    };
    await page.goto(`${platform.issuer}/servers/new`);
    await page.getByLabel('ServerSpec JSON').check();
    await page.getByLabel('ServerSpec (JSON)').fill(JSON.stringify(spec));
    await page.getByRole('button', { name: 'Preview tools' }).click();
    await page.getByRole('heading', { name: /^Resources/ }).waitFor();
    expect(await page.getByTestId('review-resources').count()).toBe(2);
    expect(await page.getByTestId('review-resourceTemplates').count()).toBe(1);
    expect(await page.getByTestId('review-prompts').count()).toBe(1);

    await page.locator('#resources-0-name').fill('read me');
    await page.getByRole('button', { name: 'Build and publish' }).click();
    await page.getByText('letters, digits, _ . and - only').first().waitFor();
    await page.locator('#resources-0-name').fill('read_me');
    await page.locator('#resources-0-description').fill('Start here');
    await page.getByRole('button', { name: 'Remove draft' }).click();
    expect(await page.getByTestId('review-resources').count()).toBe(1);
    await page.getByLabel('NOTES_KEY').fill(NOTES_API_KEY);
    await screenshot(page, 'wizard-review-resources');
    await page.getByRole('button', { name: 'Build and publish' }).click();
    await page.getByTestId('build-succeeded').waitFor({ timeout: 30_000 });

    const { servers } = (await (
      await page.request.get(`${platform.issuer}/v1/servers`)
    ).json()) as {
      servers: { id: string; slug: string }[];
    };
    const id = servers.find((s) => s.slug === 'notes-library')!.id;
    const published = (await (
      await page.request.get(`${platform.issuer}/v1/servers/${id}`)
    ).json()) as { spec: typeof spec };
    expect(published.spec.resources).toEqual([
      {
        uri: 'notes://readme',
        name: 'read_me',
        description: 'Start here',
        mimeType: 'text/markdown',
        text: '# Notes',
      },
    ]);

    await page.goto(`${platform.issuer}/servers/${id}`);
    const rows = page.getByTestId('server-resource');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);
    expect(await page.getByRole('row', { name: /read_me/ }).textContent()).toContain('mcp:read');
    expect(await page.getByRole('row', { name: /notes:\/\/note\/\{id\}/ }).textContent()).toContain(
      'mcp:notes',
    );
    expect(await page.getByRole('row', { name: /summarize/ }).textContent()).toContain('id');
    await screenshot(page, 'server-resources');
  });
});
