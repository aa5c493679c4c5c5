import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('GET /api/health', () => {
  it('answers 200 with ok:true when D1 and KV respond', async () => {
    const res = await exports.default.fetch('http://127.0.0.1:8787/api/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json<{ ok: boolean; checks: Record<string, { ok: boolean }> }>();
    expect(body).toMatchObject({ ok: true, checks: { d1: { ok: true }, kv: { ok: true } } });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await exports.default.fetch('http://127.0.0.1:8787/v1/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
