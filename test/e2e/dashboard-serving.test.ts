import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/platform';

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
});
