import { env } from 'cloudflare:test';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../src/app-env';
import {
  clearSessionCookies,
  csrfCookieName,
  sessionCookieName,
  setSessionCookies,
} from '../src/middleware/session';

const app = new Hono<AppEnv>()
  .get('/set', (c) => {
    setSessionCookies(c, 'value', 'token');
    return c.body(null, 204);
  })
  .get('/clear', (c) => {
    clearSessionCookies(c);
    return c.body(null, 204);
  });

const https = { ...env, ISSUER: 'https://moat.example' } as Env;

describe('session cookie attributes', () => {
  it('uses the __Host- prefix with Secure, Path=/ and no Domain when the issuer is https', async () => {
    expect(sessionCookieName(https)).toBe('__Host-moat_session');
    expect(csrfCookieName(https)).toBe('__Host-moat_csrf');
    const res = await app.request('https://moat.example/set', {}, https);
    const [session, csrf] = res.headers.getSetCookie();
    expect(session).toMatch(/^__Host-moat_session=value; /);
    expect(session).toMatch(/; Path=\//);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).not.toMatch(/Domain=/i);
    expect(csrf).toMatch(/^__Host-moat_csrf=token; .*Secure/);
    expect(csrf).not.toMatch(/HttpOnly/);
  });

  it('uses bare names without Secure on plain-http localhost', async () => {
    const res = await app.request('http://127.0.0.1:8787/set', {}, env);
    const [session] = res.headers.getSetCookie();
    expect(session).toMatch(/^moat_session=value; /);
    expect(session).not.toMatch(/Secure/);
    expect(session).toMatch(/; HttpOnly/);
  });

  it('clears both cookies with the same attributes on https', async () => {
    const res = await app.request('https://moat.example/clear', {}, https);
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    for (const c of cookies) expect(c).toMatch(/^__Host-moat_\w+=; Max-Age=0; Path=\/; Secure/);
  });
});
