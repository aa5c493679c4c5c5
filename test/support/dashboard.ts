// Helpers for driving the dashboard in Chromium: sign up through the SPA form, save screenshots
// when MOAT_SCREENSHOTS names a directory (`npm run screenshots` writes docs/screenshots).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { repoRoot } from './platform';

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
