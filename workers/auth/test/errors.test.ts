import { describe, expect, it } from 'vitest';
import { api, signUp } from './support/accounts';

describe('/v1 error behaviour', () => {
  it('answers an unknown route with a JSON 404 not_found', async () => {
    const res = await api('/v1/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers a wrong method with 405 method_not_allowed and an Allow header', async () => {
    const res = await api('/v1/auth/signup', { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('lists every allowed method, including parametrized routes', async () => {
    const alice = await signUp();
    const res = await api('/v1/api-keys/key_x', { as: alice, method: 'PATCH', body: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('DELETE');
    const list = await api('/v1/api-keys', { as: alice, method: 'PUT', body: {} });
    expect(list.status).toBe(405);
    expect(list.headers.get('allow')).toBe('GET, POST, HEAD');
  });

  it('refuses a body over 64 KiB with 413 payload_too_large', async () => {
    const res = await api('/v1/auth/signup', {
      body: { email: 'a@b.example', password: 'x'.repeat(70 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers a JSON array body with 422, not 500', async () => {
    const res = await api('/v1/auth/login', { body: [1, 2] });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('answers a JSON null body with 422, not 500', async () => {
    const res = await api('/v1/auth/login', { body: 'null' });
    expect(res.status).toBe(422);
  });
});
