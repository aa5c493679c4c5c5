import { describe, expect, it } from 'vitest';
import { api, createApiKey, ORIGIN, signUp } from './support/accounts';

describe('CSRF on cookie-authenticated /v1 writes', () => {
  it('refuses a request without an Origin header with 403 csrf_origin_mismatch', async () => {
    const alice = await signUp();
    const res = await api('/v1/api-keys', {
      body: { name: 'k' },
      headers: { cookie: alice.cookie, 'x-csrf-token': alice.csrfToken },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'csrf_origin_mismatch' } });
  });

  it('refuses a cross-origin request with 403 csrf_origin_mismatch', async () => {
    const alice = await signUp();
    const res = await api('/v1/api-keys', {
      as: alice,
      body: { name: 'k' },
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'csrf_origin_mismatch' } });
  });

  it('refuses a same-origin request without x-csrf-token with 403 csrf_token_invalid', async () => {
    const alice = await signUp();
    const res = await api('/v1/api-keys', {
      body: { name: 'k' },
      headers: { cookie: alice.cookie, origin: ORIGIN },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'csrf_token_invalid' } });
  });

  it("refuses another session's CSRF token with 403 csrf_token_invalid", async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const res = await api('/v1/api-keys', {
      as: alice,
      body: { name: 'k' },
      headers: { 'x-csrf-token': bob.csrfToken },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'csrf_token_invalid' } });
  });

  it('does not check CSRF on safe methods', async () => {
    const alice = await signUp();
    const res = await api('/v1/me', { headers: { cookie: alice.cookie } });
    expect(res.status).toBe(200);
  });

  it('skips CSRF for API-key requests, which carry no ambient credential', async () => {
    const alice = await signUp();
    const { key } = await createApiKey(alice);
    const res = await api('/v1/api-keys', { key, body: { name: 'from a script' } });
    expect(res.status).toBe(201);
  });

  it('accepts a same-origin request with the session token', async () => {
    const alice = await signUp();
    const res = await api('/v1/api-keys', { as: alice, body: { name: 'k' } });
    expect(res.status).toBe(201);
  });
});
