// The dashboard in headless Chromium against the platform as `npm start` runs it: sign up, sign
// out and in, inline validation, the API's own error messages, API keys, phone width, labels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserSession } from '../support/browser';
import {
  overflowsHorizontally,
  screenshot,
  signUpInBrowser,
  unlabelledControls,
} from '../support/dashboard';
import { startPlatform, type Platform } from '../support/platform';

const PASSWORD = 'correct horse battery staple';

describe('dashboard accounts', () => {
  let platform: Platform;
  let browser: BrowserSession;
  beforeAll(async () => {
    [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('signs a new user up through the form and opens the wizard signed in', async () => {
    const page = await browser.newPage();
    await page.goto(`${platform.issuer}/`);
    await screenshot(page, 'landing');
    expect(await page.getByRole('button', { name: 'Menu' }).isVisible()).toBe(false);
    await page.getByRole('link', { name: 'Sign up' }).first().click();
    await page.waitForURL(`${platform.issuer}/sign-up`);
    await screenshot(page, 'sign-up');
    await signUpInBrowser(page, platform.issuer, {
      email: 'ada@example.com',
      password: PASSWORD,
      name: 'Ada',
    });
    await page.getByRole('heading', { name: 'New server' }).waitFor();
    await page.getByRole('button', { name: /Sign out/ }).waitFor();
    const me = await page.request.get(`${platform.issuer}/v1/me`);
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ user: { email: 'ada@example.com', name: 'Ada' } });
    await screenshot(page, 'wizard-describe');
    await page.close();
  });

  it('shows inline errors and sends nothing when the sign-up form is incomplete', async () => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    const calls: string[] = [];
    page.on('request', (r) => r.url().includes('/v1/auth/') && calls.push(r.url()));
    await page.goto(`${platform.issuer}/sign-up`);
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Enter an email address like you@example.com.').waitFor();
    await page.getByText('Use at least 10 characters.').waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(calls).toEqual([]);
    await page.close();
  });

  it("shows the API's message when the email already has an account", async () => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${platform.issuer}/sign-up`);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'already exists' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('email_taken');
    expect(page.url()).toBe(`${platform.issuer}/sign-up`);
    await page.close();
  });

  it('signs out, refuses a wrong password with the API message, then signs back in', async () => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${platform.issuer}/sign-in`);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('wrong password entirely');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect((await page.request.get(`${platform.issuer}/v1/me`)).status()).toBe(401);

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${platform.issuer}/servers`);
    await page.getByRole('heading', { name: 'Servers', exact: true }).waitFor();
    await page.getByText('No servers yet').waitFor();
    await screenshot(page, 'servers-empty');

    await page.getByRole('button', { name: /Sign out/ }).click();
    await page.waitForURL(`${platform.issuer}/`);
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect((await page.request.get(`${platform.issuer}/v1/me`)).status()).toBe(401);
    await page.close();
  });

  it('creates an API key that is shown once and works, then revokes it', async () => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${platform.issuer}/sign-in`);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${platform.issuer}/servers`);
    await page.goto(`${platform.issuer}/settings`);
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Name the key after where it is used').waitFor();
    await page.getByLabel('Key name').fill('CI');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-api-key');
    await shown.waitFor();
    const key = (await shown.locator('pre').textContent())!.trim();
    expect(key).toMatch(/^moat_sk_/);
    await screenshot(page, 'settings', [shown.locator('pre')]);

    const asKey = await fetch(`${platform.issuer}/v1/me`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(asKey.status).toBe(200);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('row', { name: /CI/ }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No API keys yet.').waitFor();
    await page.reload();
    expect(await page.getByText(key).count()).toBe(0);
    const revoked = await fetch(`${platform.issuer}/v1/me`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(revoked.status).toBe(401);
    await page.close();
  });

  it('lists a machine client registered with an API key in Settings and revokes it', async () => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${platform.issuer}/sign-in`);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${platform.issuer}/servers`);
    await page.goto(`${platform.issuer}/settings`);
    await page.getByLabel('Key name').fill('Nightly');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-api-key');
    await shown.waitFor();
    const key = (await shown.locator('pre').textContent())!.trim();
    const reg = await fetch(`${platform.issuer}/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Nightly export',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    });
    expect(reg.status).toBe(201);
    const client = (await reg.json()) as { client_id: string; client_secret: string };

    // On a phone the tables scroll inside their box; the page itself never scrolls sideways.
    const phone = await browser.newPage(390);
    await phone.goto(`${platform.issuer}/settings`);
    await phone
      .getByTestId('machine-clients')
      .getByRole('row', { name: /Nightly export/ })
      .waitFor();
    await phone
      .getByRole('row', { name: /Nightly/ })
      .first()
      .waitFor();
    expect(await overflowsHorizontally(phone)).toBe(false);
    await phone.close();

    await page.reload();
    const row = page.getByTestId('machine-clients').getByRole('row', { name: /Nightly export/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('ada@example.com');
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No machine clients.').waitFor();
    const token = await fetch(`${platform.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        resource: `${platform.runnerOrigin}/x/mcp`,
      }).toString(),
    });
    expect(token.status).toBe(401);
    await page.close();
  });

  it('labels every form control and fits a phone screen on the main pages', async () => {
    const page = await browser.newPage(390);
    for (const path of [
      '/',
      '/sign-up',
      '/sign-in',
      '/servers/new',
      '/settings',
      '/docs',
      '/status',
    ]) {
      await page.goto(`${platform.issuer}${path}`);
      await page.locator('main h1').first().waitFor();
      expect({ path, unlabelled: await unlabelledControls(page) }).toEqual({
        path,
        unlabelled: [],
      });
      expect({ path, overflows: await overflowsHorizontally(page) }).toEqual({
        path,
        overflows: false,
      });
    }
    // At phone width the navigation folds behind the Menu button.
    await page.goto(`${platform.issuer}/`);
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Docs' })
      .click();
    await page.waitForURL(`${platform.issuer}/docs`);
    await page.goto(`${platform.issuer}/servers/new`);
    await page.locator('main h1').first().waitFor();
    await screenshot(page, 'phone-wizard');
    await page.close();
  });

  it('renders the docs: a live OAuth transcript, the ServerSpec reference and the generated API reference', async () => {
    const page = await browser.newPage();
    await page.goto(`${platform.issuer}/docs/oauth`);
    const metadata = page.locator('.code').filter({ hasText: 'oauth-authorization-server' });
    await metadata.getByText('HTTP/1.1 200').waitFor();
    expect(await metadata.textContent()).toContain(`"issuer": "${platform.issuer}"`);
    await screenshot(page, 'docs-oauth');
    await page.goto(`${platform.issuer}/docs/authoring`);
    const reference = page.getByTestId('spec-reference');
    await reference.waitFor();
    for (const field of [
      'slug',
      'tools[].http.url',
      'tools[].annotations.readOnlyHint',
      'egress',
    ]) {
      await reference.getByRole('cell', { name: field, exact: true }).waitFor();
    }
    await page.goto(`${platform.issuer}/docs/api`);
    const apiReference = page.getByTestId('api-reference');
    await apiReference.getByRole('cell', { name: '/v1/servers/preview', exact: true }).waitFor();
    const apiKeyRow = apiReference.getByRole('row').filter({ hasText: 'Create an API key' });
    await apiKeyRow.waitFor();
    expect(await apiKeyRow.textContent()).toMatch(
      /POST\/v1\/api-keysCreate an API key\s*Body:\s*name/,
    );
    expect(
      await apiReference.getByRole('cell', { name: '/v1/servers/{id}', exact: true }).count(),
    ).toBeGreaterThan(0);
    await page.close();
  });

  it('probes the platform live on the status page', async () => {
    const page = await browser.newPage();
    await page.goto(`${platform.issuer}/status`);
    await page.getByTestId('overall-status').waitFor();
    expect(await page.getByTestId('overall-status').textContent()).toBe('All systems operational');
    expect(await page.getByRole('row', { name: /Auth API/ }).textContent()).toContain('Up');
    expect(await page.getByRole('row', { name: /Sign-in page/ }).textContent()).toContain('Up');
    await screenshot(page, 'status');
    await page.close();
  });

  it('ran every page above without a Content-Security-Policy violation', () => {
    expect(browser.cspViolations).toEqual([]);
  });

  it('has the browser refuse an injected inline script (the CSP is enforced, not decorative)', async () => {
    const page = await browser.newPage();
    await page.goto(`${platform.issuer}/`);
    const ran = await page.evaluate(() => {
      const el = document.createElement('script');
      el.textContent = 'window.__injected = true';
      document.body.append(el);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => browser.cspViolations.length).toBeGreaterThan(0);
    await page.close();
  });
});
