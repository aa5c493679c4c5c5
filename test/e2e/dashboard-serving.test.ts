import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardHeaders } from '../../lib/http/dashboard-headers';
// @ts-expect-error -- plain JS copied verbatim into the Pages output; no types on purpose.
import pagesWorker from '../../web/public/_worker.js';
import { startPlatform, type Platform } from '../support/platform';

const DASHBOARD_HEADERS = [
  'content-security-policy',
  'x-frame-options',
  'x-content-type-options',
  'referrer-policy',
] as const;

// wrangler.toml runs the auth Worker first; its routes answer and everything else is the SPA.
describe('dashboard serving', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(() => platform?.stop());

  it('serves the dashboard shell for any page path on the auth origin', async () => {
    const res = await fetch(`${platform.issuer}/servers/srv_unknown`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<div id="root"></div>');
    const entry = /<script type="module"[^>]+src="(\/assets\/index-[\w-]+\.js)"/.exec(html);
    expect(entry).not.toBeNull();
    // React's production build: the development JSX runtime never ships, even when the platform
    // is started from a test runner that sets NODE_ENV=test.
    const js = await (await fetch(`${platform.issuer}${entry![1]}`)).text();
    expect(js).not.toContain('jsxDEV');
  });

  it('keeps unknown /v1 paths a JSON not_found error, not the dashboard', async () => {
    const res = await fetch(`${platform.issuer}/v1/no-such-route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers /api/health from the Worker, not the static assets', async () => {
    const res = await fetch(`${platform.issuer}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, service: 'moat-auth' });
  });

  it('does not publish the Pages proxy script as a static file', async () => {
    const res = await fetch(`${platform.issuer}/_worker.js`);
    expect(await res.text()).not.toContain('AUTH_ORIGIN');
  });

  it('serves index.html and its assets with a strict CSP, no framing and nosniff', async () => {
    const page = await fetch(`${platform.issuer}/servers`);
    const html = await page.text();
    const entry = /src="(\/assets\/index-[\w-]+\.js)"/.exec(html)![1]!;
    const css = /href="(\/assets\/index-[\w-]+\.css)"/.exec(html)?.[1];
    const expected = dashboardHeaders(platform.runnerOrigin);
    for (const res of [
      page,
      await fetch(`${platform.issuer}${entry}`),
      ...(css ? [await fetch(`${platform.issuer}${css}`)] : []),
      await fetch(`${platform.issuer}/favicon.svg`),
    ]) {
      for (const h of DASHBOARD_HEADERS) expect(res.headers.get(h)).toBe(expected[h]);
    }
    expect(expected['content-security-policy']).toContain(
      `connect-src 'self' ${platform.runnerOrigin}`,
    );
  });

  it('needs no inline script or style: the built index.html has none', async () => {
    const html = await (await fetch(`${platform.issuer}/`)).text();
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc=/);
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/);
  });
});

describe('the Pages worker (web/public/_worker.js)', () => {
  const assets = {
    fetch: async () =>
      new Response('<!doctype html><div id="root"></div>', {
        headers: { 'content-type': 'text/html' },
      }),
  };

  it('serves the dashboard with exactly the headers the auth Worker uses', async () => {
    const res: Response = await pagesWorker.fetch(new Request('https://dash.example/servers'), {
      ASSETS: assets,
      RUNNER_ORIGIN: 'https://mcp.example/',
    });
    const expected = dashboardHeaders('https://mcp.example/');
    for (const h of DASHBOARD_HEADERS) expect(res.headers.get(h)).toBe(expected[h]);
    expect(res.headers.get('content-type')).toBe('text/html');
  });

  it('leaves connect-src at self when RUNNER_ORIGIN is not set', async () => {
    const res: Response = await pagesWorker.fetch(new Request('https://dash.example/'), {
      ASSETS: assets,
    });
    expect(res.headers.get('content-security-policy')).toBe(
      dashboardHeaders()['content-security-policy'],
    );
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self';");
  });

  it('passes the auth Worker’s own paths through untouched', async () => {
    const res: Response = await pagesWorker.fetch(new Request('https://dash.example/v1/me'), {
      ASSETS: assets,
      AUTH: {
        fetch: async () => Response.json({ error: { code: 'unauthenticated' } }, { status: 401 }),
      },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-security-policy')).toBeNull();
  });
});
