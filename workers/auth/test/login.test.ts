import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../src/accounts/credentials';
import { api, logIn, PASSWORD, signUp, uniqueEmail } from './support/accounts';

const login = (email: string, password: string, ip?: string) =>
  api('/v1/auth/login', {
    body: { email, password },
    headers: ip ? { 'cf-connecting-ip': ip } : {},
  });

describe('POST /v1/auth/login', () => {
  it('refuses a wrong password with 401 invalid_credentials', async () => {
    const alice = await signUp();
    const res = await login(alice.email, 'wrong password!!');
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const res = await login(uniqueEmail(), 'wrong password!!');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: 'invalid_credentials', message: 'Email or password is incorrect.' },
    });
  });

  it('locks an account with 429 and Retry-After after too many failures, even for the right password', async () => {
    const alice = await signUp();
    for (let i = 0; i < LOGIN_LIMITS.account.limit; i++) {
      expect((await login(alice.email, 'wrong password!!')).status).toBe(401);
    }
    const res = await login(alice.email, PASSWORD);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    expect(await res.json()).toMatchObject({ error: { code: 'too_many_attempts' } });
  });

  it('limits failures per IP across many accounts with 429 and Retry-After', async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const victim = await signUp();
    for (let i = 0; i < LOGIN_LIMITS.ip.limit; i++) {
      expect((await login(uniqueEmail(), 'wrong password!!', ip)).status).toBe(401);
    }
    const blocked = await login(victim.email, PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another IP is not affected.
    expect((await login(victim.email, PASSWORD, '198.51.100.7')).status).toBe(200);
  });

  it('clears the per-account failure count after a successful sign-in', async () => {
    const alice = await signUp();
    for (let i = 0; i < LOGIN_LIMITS.account.limit - 1; i++)
      await login(alice.email, 'nope nope nope');
    expect((await login(alice.email, PASSWORD)).status).toBe(200);
    for (let i = 0; i < LOGIN_LIMITS.account.limit - 1; i++) {
      expect((await login(alice.email, 'nope nope nope')).status).toBe(401);
    }
    expect((await login(alice.email, PASSWORD)).status).toBe(200);
  });

  it('signs in with any email casing and returns a fresh session and CSRF token', async () => {
    const alice = await signUp();
    const again = await logIn(alice.email.toUpperCase());
    expect(again.user.id).toBe(alice.user.id);
    expect(again.cookie).not.toBe(alice.cookie);
    expect(again.csrfToken).not.toBe(alice.csrfToken);
    expect((await api('/v1/me', { as: again })).status).toBe(200);
  });

  it('audits failed and successful sign-ins with IP and user agent', async () => {
    const alice = await signUp();
    await login(alice.email, 'wrong password!!', '192.0.2.9');
    await login(alice.email, PASSWORD, '192.0.2.9');
    const { results } = await env.DB.prepare(
      'SELECT action, ip, metadata FROM audit_events WHERE actor = ? ORDER BY id',
    )
      .bind(alice.user.id)
      .all<{ action: string; ip: string | null; metadata: string | null }>();
    expect(results.map((r) => r.action)).toEqual([
      'user.signup',
      'user.login_failed',
      'user.login',
    ]);
    expect(results[1]!.ip).toBe('192.0.2.9');
    expect(results[1]!.metadata).not.toContain('wrong password');
  });
});

describe('session lifetime', () => {
  it('refuses an expired session with 401 and deletes its row', async () => {
    const alice = await signUp();
    await env.DB.prepare('UPDATE sessions SET expires_at = ? WHERE user_id = ?')
      .bind(Date.now() - 1, alice.user.id)
      .run();
    const res = await api('/v1/me', { as: alice });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?')
      .bind(alice.user.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });

  it('sets the session to expire 14 days after sign-in', async () => {
    const before = Date.now();
    const res = await api('/v1/auth/signup', {
      body: { email: uniqueEmail(), password: PASSWORD },
    });
    const { expiresAt } = await res.json<{ expiresAt: number }>();
    expect(expiresAt - before).toBeGreaterThanOrEqual(14 * 86_400_000);
    expect(expiresAt - before).toBeLessThan(14 * 86_400_000 + 60_000);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('moat_session='));
    expect(cookie).toContain(`Max-Age=${14 * 86_400}`);
  });
});

describe('POST /v1/auth/logout', () => {
  it('refuses without a session with 401 unauthenticated', async () => {
    const res = await api('/v1/auth/logout', { method: 'POST' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('invalidates the session server-side: the old cookie no longer works', async () => {
    const alice = await signUp();
    const res = await api('/v1/auth/logout', { as: alice, method: 'POST' });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().join('\n')).toMatch(/moat_session=;.*Max-Age=0/);
    const after = await api('/v1/me', { as: alice });
    expect(after.status).toBe(401);
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?')
      .bind(alice.user.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});
