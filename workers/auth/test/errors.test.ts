import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, PASSWORD, signUp } from './support/accounts';

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

describe('bad input never produces a 500', () => {
  const ROUTES: [string, string][] = [
    ['POST', '/v1/auth/signup'],
    ['POST', '/v1/auth/login'],
    ['POST', '/v1/api-keys'],
    ['DELETE', '/v1/api-keys/%00%ff'],
    ['POST', '/v1/me/org/invites'],
    ['PATCH', '/v1/me/org/members/usr_nobody'],
    ['DELETE', '/v1/me/org/members/usr_nobody'],
    ['POST', '/v1/invites/accept'],
    ['GET', '/v1/audit?since=%ff&limit=1e99'],
  ];
  const BODIES = ['', 'null', '[]', '"x"', '{"email":{"$gt":""}}', '{"a":', '\u0000', '{"role":1}'];

  it('answers every garbage body on every account route with a JSON 4xx', async () => {
    const alice = await signUp();
    for (const [method, path] of ROUTES) {
      for (const body of BODIES) {
        const res = await api(path, {
          as: alice,
          method,
          ...(method === 'GET' ? {} : { body }),
        });
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
        expect(await res.json()).toHaveProperty('error.code');
      }
    }
  });
});

describe('atomic writes', () => {
  it('leaves no org, member or audit row behind when a sign-up fails on a duplicate email', async () => {
    const alice = await signUp();
    const count = async () =>
      env.DB.prepare(
        `SELECT (SELECT count(*) FROM orgs) AS orgs, (SELECT count(*) FROM members) AS members,
                (SELECT count(*) FROM audit_events WHERE action = 'user.signup') AS signups`,
      ).first();
    const before = await count();
    const res = await api('/v1/auth/signup', { body: { email: alice.email, password: PASSWORD } });
    expect(res.status).toBe(409);
    expect(await count()).toEqual(before);
  });
});
