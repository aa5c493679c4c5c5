// The server page's Alerts section in Chromium: the rules in words, the form's own checks, saving
// (the signing secret shown once), changing with a confirmation that rotates the secret, removing
// with a confirmation, every step checked against the API, and readable on a phone.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertStatusSchema } from '../../lib/api/alerts';
import {
  closeDashboard,
  openDashboard,
  overflowsHorizontally,
  screenshot,
  unlabelledControls,
  type DashboardSession,
} from '../support/dashboard';
import type { Platform } from '../support/platform';

const HOOK = 'http://127.0.0.1:9/moat-alerts';
const HOOK2 = `http://127.0.0.1:9/moat-alerts/a-rather-long-path-that-must-wrap-on-a-phone-${'x'.repeat(60)}`;

describe('the Alerts section', () => {
  let platform: Platform;
  let page: Page;
  let session: DashboardSession | undefined;
  let serverId: string;

  const alertOnApi = async () =>
    AlertStatusSchema.parse(
      await (await page.request.get(`${platform.issuer}/v1/servers/${serverId}/alerts`)).json(),
    ).alert;
  const secretShown = async () =>
    (await page.getByTestId('alert-secret').locator('pre code').textContent()) ?? '';

  beforeAll(async () => {
    session = await openDashboard('alerts@example.com');
    ({ platform, page } = session);
    const me = (await (await page.request.get(`${platform.issuer}/v1/me`)).json()) as {
      csrfToken: string;
    };
    const created = await page.request.post(`${platform.issuer}/v1/servers`, {
      headers: { origin: platform.issuer, 'x-csrf-token': me.csrfToken },
      data: {
        name: 'Alerted',
        slug: 'alerted',
        egress: ['api.example.com'],
        tools: [
          {
            name: 'ping',
            description: 'Ping',
            inputSchema: { type: 'object', properties: {} },
            annotations: { readOnlyHint: true },
            http: { method: 'GET', url: 'https://api.example.com/ping' },
          },
        ],
      },
    });
    expect(created.status()).toBe(201);
    serverId = ((await created.json()) as { id: string }).id;
  });
  afterAll(() => closeDashboard(session));

  it('sets, changes and removes the webhook, checking the URL before asking the API', async () => {
    await page.goto(`${platform.issuer}/servers/${serverId}`);
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
    await page.getByTestId('alert-none').waitFor();
    const section = page.getByTestId('alerts');
    expect(await section.textContent()).toContain(
      'at least 3 tool calls in 5 minutes failed at the API behind the server',
    );
    expect(await section.textContent()).toContain(
      'At most one alert of each kind every 15 minutes',
    );

    // The form's own checks, with the messages under the field.
    const url = page.getByLabel('Webhook URL');
    const save = page.getByRole('button', { name: 'Save webhook' });
    const fieldError = page.locator('#alert-url-error');
    await save.click();
    expect(await fieldError.textContent()).toContain('Enter the URL Moat should POST alerts to');
    await url.fill('hooks.example.com/moat');
    expect(await fieldError.textContent()).toBe('The webhook URL must be an absolute URL.');
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    await url.fill('https://me:pw@hooks.example.com/moat');
    expect(await fieldError.textContent()).toBe('The webhook URL must not carry credentials.');
    await url.fill('https://hooks.example.com/moat#x');
    expect(await fieldError.textContent()).toBe('The webhook URL must not have a fragment.');
    expect(await alertOnApi()).toBeNull();
    expect(await unlabelledControls(page)).toEqual([]);

    await url.fill(HOOK);
    expect(await fieldError.count()).toBe(0);
    await save.click();
    await page.getByTestId('alert-secret').waitFor();
    const first = await secretShown();
    expect(first).toMatch(/^whsec_/);
    expect(await page.getByTestId('alert-url').textContent()).toBe(HOOK);
    expect((await alertOnApi())?.url).toBe(HOOK);
    await screenshot(page, 'server-alerts', [page.getByTestId('alert-secret').locator('pre')]);

    // Changing asks first: saving replaces the signing secret.
    await page.getByRole('button', { name: 'Change URL or secret' }).click();
    expect(await url.inputValue()).toBe(HOOK);
    await url.fill(HOOK2);
    const rotate = page.getByRole('button', { name: 'Save and issue a new secret' });
    page.once('dialog', (d) => void d.dismiss());
    await rotate.click();
    expect((await alertOnApi())?.url).toBe(HOOK);
    page.once('dialog', (d) => {
      expect(d.message()).toContain('new signing secret');
      void d.accept();
    });
    await rotate.click();
    await page.getByTestId('alert-url').getByText(HOOK2).waitFor();
    const second = await secretShown();
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    const changed = await alertOnApi();
    expect(changed?.url).toBe(HOOK2);
    expect(changed!.updatedAt).toBeGreaterThanOrEqual(changed!.createdAt);

    // Readable on a phone: the long URL wraps, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('alert-current').scrollIntoViewIfNeeded();
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'server-alerts-phone', [
      page.getByTestId('alert-secret').locator('pre'),
    ]);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Removing asks first.
    const remove = page.getByRole('button', { name: 'Remove webhook' });
    page.once('dialog', (d) => void d.dismiss());
    await remove.click();
    expect((await alertOnApi())?.url).toBe(HOOK2);
    page.once('dialog', (d) => {
      expect(d.message()).toContain(HOOK2);
      void d.accept();
    });
    await remove.click();
    await page.getByTestId('alert-none').waitFor();
    expect(await page.getByTestId('alert-secret').count()).toBe(0);
    expect(await alertOnApi()).toBeNull();
  });
});
