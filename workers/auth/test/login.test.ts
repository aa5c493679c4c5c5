import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../src/accounts/login-throttle';
import { api, logIn, PASSWORD, signUp, uniqueEmail } from './support/accounts';

const login = (email: string, password: string, ip: string = uniqueIp()) =>
  api('/v1/auth/login', { body: { email, password }, headers: { 'cf-connecting-ip': ip } });

/** A fresh address per call, so tests do not share throttle buckets. */
function uniqueIp(): string {
  const n = crypto.getRandomValues(new Uint8Array(3));
  return `10.${n[0]}.${n[1]}.${n[2]}`;
}

async function count(key: string): Promise<number | undefined> {
  const row = await env.DB.prepare('SELECT count FROM rate_limits WHERE key = ?')
    .bind(key)
    .first<{ count: number }>();
  return row?.count;
}

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

  it('clears an address’s failure count on the account after a successful sign-in', async () => {
    const alice = await signUp();
    const ip = uniqueIp();
    for (let i = 0; i < LOGIN_LIMITS.accountAddress.limit - 1; i++)
      await login(alice.email, 'nope nope nope', ip);
    expect((await login(alice.email, PASSWORD, ip)).status).toBe(200);
    for (let i = 0; i < LOGIN_LIMITS.accountAddress.limit - 1; i++) {
      expect((await login(alice.email, 'nope nope nope', ip)).status).toBe(401);
    }
    expect((await login(alice.email, PASSWORD, ip)).status).toBe(200);
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

// OWASP Authentication Cheat Sheet, "Login Throttling": throttle the attacker, not the victim.
describe('sign-in throttling', () => {
  it('throttles one address on one account with 429 and Retry-After, even for the right password', async () => {
    const alice = await signUp();
    const ip = uniqueIp();
    for (let i = 0; i < LOGIN_LIMITS.accountAddress.limit; i++) {
      expect((await login(alice.email, 'wrong password!!', ip)).status).toBe(401);
    }
    const res = await login(alice.email, PASSWORD, ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    expect(await res.json()).toMatchObject({ error: { code: 'too_many_attempts' } });
  });

  it('counts 20 parallel wrong passwords from one address exactly, lets only the limit through, and the owner still signs in from another address', async () => {
    const alice = await signUp();
    const attacker = uniqueIp();
    const [attempts, owner] = await Promise.all([
      Promise.all(
        Array.from({ length: 20 }, () => login(alice.email, 'wrong password!!', attacker)),
      ),
      login(alice.email, PASSWORD, uniqueIp()),
    ]);
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMITS.accountAddress.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - LOGIN_LIMITS.accountAddress.limit);
    expect(await count(`login:acct-net:${alice.email}:${attacker}`)).toBe(20);
    expect(owner.status).toBe(200);
    // The attacker stays throttled, the owner keeps working from elsewhere.
    expect((await login(alice.email, PASSWORD, attacker)).status).toBe(429);
    expect((await login(alice.email, PASSWORD, uniqueIp())).status).toBe(200);
  });

  it('limits failures per address across many accounts, and only that address', async () => {
    const ip = uniqueIp();
    const victim = await signUp();
    for (let i = 0; i < LOGIN_LIMITS.address.limit; i++) {
      expect((await login(uniqueEmail(), 'wrong password!!', ip)).status).toBe(401);
    }
    const blocked = await login(victim.email, PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(victim.email, PASSWORD, uniqueIp())).status).toBe(200);
  });

  it('counts an IPv6 client by its /64, whichever address in it is used', async () => {
    const alice = await signUp();
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    for (let i = 0; i < LOGIN_LIMITS.accountAddress.limit; i++) {
      const res = await login(
        alice.email,
        'wrong password!!',
        `${prefix}::${(i + 1).toString(16)}`,
      );
      expect(res.status).toBe(401);
    }
    expect((await login(alice.email, PASSWORD, `${prefix}:ffff::7`)).status).toBe(429);
    expect((await login(alice.email, PASSWORD, `${prefix.replace(/:1$/, ':2')}::1`)).status).toBe(
      200,
    );
  });

  it('does not count successful sign-ins against the address', async () => {
    const alice = await signUp();
    const ip = uniqueIp();
    for (let i = 0; i < LOGIN_LIMITS.address.limit + 2; i++) {
      expect((await login(alice.email, PASSWORD, ip)).status).toBe(200);
    }
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
