// Helpers for driving the dashboard in Chromium: start a platform, Chromium and the notes API with
// one signed-up page, sign up through the SPA form, save screenshots when MOAT_SCREENSHOTS names a
// directory (`npm run screenshots` writes docs/screenshots).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from './browser';
import { startNotesApi, type NotesApi } from './notes-api';
import { repoRoot, startPlatform, type Platform } from './platform';

/** What a dashboard test drives: the platform, Chromium, the local notes API and a signed-in page. */
export type DashboardSession = {
  platform: Platform;
  browser: BrowserSession;
  api: NotesApi;
  page: Page;
};

/** Starts the three together and signs `email` up in a new page; on failure, stops what started. */
export async function openDashboard(email: string): Promise<DashboardSession> {
  const [platform, browser, api] = await Promise.allSettled([
    startPlatform(),
    launchBrowser(),
    startNotesApi(),
  ]);
  const started = {
    platform: platform.status === 'fulfilled' ? platform.value : undefined,
    browser: browser.status === 'fulfilled' ? browser.value : undefined,
    api: api.status === 'fulfilled' ? api.value : undefined,
  };
  try {
    for (const r of [platform, browser, api]) if (r.status === 'rejected') throw r.reason;
    const session = { ...started, page: await started.browser!.newPage() } as DashboardSession;
    // A stuck step fails with its locator named, well before the test's own timeout.
    session.page.setDefaultTimeout(20_000);
    await signUpInBrowser(session.page, session.platform.issuer, {
      email,
      password: 'correct horse battery staple',
    });
    return session;
  } catch (err) {
    await closeDashboard(started);
    throw err;
  }
}

export async function closeDashboard(s: Partial<DashboardSession> | undefined): Promise<void> {
  await s?.browser?.close();
  await s?.platform?.stop();
  await s?.api?.close();
}

export async function signUpInBrowser(
  page: Page,
  issuer: string,
  user: { email: string; password: string; name?: string },
): Promise<void> {
  await page.goto(`${issuer}/sign-up`);
  if (user.name) await page.getByLabel('Name (optional)').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${issuer}/servers/new`);
}

/** `mask` hides secrets (API keys shown once) behind a box in the image. */
export async function screenshot(page: Page, name: string, mask: Locator[] = []): Promise<void> {
  const dir = process.env.MOAT_SCREENSHOTS;
  if (!dir) return;
  const out = resolve(repoRoot, dir);
  mkdirSync(out, { recursive: true });
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true, mask });
}

/** Inputs, selects and textareas without an accessible label (label element or aria-label). */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('input, select, textarea'))
      .filter((el) => {
        const c = el as HTMLInputElement;
        return (
          !(c.labels && c.labels.length > 0) && !c.getAttribute('aria-label') && c.type !== 'hidden'
        );
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** True when the page is wider than the viewport (a phone user would scroll sideways). */
export function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}
