// Headless Chromium driven by playwright-core, for the dashboard's end-to-end tests, with a fresh
// profile each launch. Which Chromium is decided once per run (test/global-setup.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

export type BrowserSession = {
  context: BrowserContext;
  /** Every Content-Security-Policy violation any page reported on the console so far. */
  cspViolations: string[];
  newPage: (width?: number) => Promise<Page>;
  close: () => Promise<void>;
};

export async function launchBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'moat-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: inject('chromiumPath'),
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const cspViolations: string[] = [];
  context.on('page', (page) =>
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    }),
  );
  return {
    context,
    cspViolations,
    newPage: async (width = 1280) => {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
