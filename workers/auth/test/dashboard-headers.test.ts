import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ORIGIN } from './support/accounts';

// The dashboard is whatever no Worker route claims (wrangler.toml [assets], run_worker_first).
describe('dashboard responses from the auth Worker', () => {
  it.each(['/', '/servers/srv_x', '/assets/index.js', '/favicon.svg'])(
    'serve %s with a strict CSP and no framing',
    async (path) => {
      const res = await exports.default.fetch(`${ORIGIN}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        `connect-src 'self' ${new URL(env.RUNNER_ORIGIN).origin}`,
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
    },
  );

  it('leaves the API alone: an unknown /v1 path is JSON without the dashboard CSP', async () => {
    const res = await exports.default.fetch(`${ORIGIN}/v1/no-such-route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBeNull();
  });
});
