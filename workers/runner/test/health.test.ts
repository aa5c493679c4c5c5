import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('runner GET /api/health', () => {
  it('answers 200 when D1 holds the schema', async () => {
    const res = await exports.default.fetch('http://127.0.0.1:8788/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, service: 'moat-runner' });
  });
});
