// Accounts over real HTTP against the platform as `npm start` runs it: sign up, sign in through
// the /login form, create an API key and use it, log out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../support/platform';

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');

describe('accounts end to end', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('signs up, signs in through /login, creates an API key, uses it and logs out', async () => {
    const { issuer } = platform;
    const email = `e2e-${Date.now()}@example.test`;
    const password = 'correct horse battery staple';

    const signup = await fetch(`${issuer}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, name: 'E2E' }),
    });
    expect(signup.status).toBe(201);
    expect(signup.headers.getSetCookie().join('\n')).toMatch(/moat_session=[^;]+; .*HttpOnly/);

    // Sign in through the server-rendered page, as a browser would, returning to /authorize.
    const returnTo = '/authorize?client_id=cl_x&state=a%26b&scope=mcp%3Aread';
    const page = await fetch(`${issuer}/login?return_to=${encodeURIComponent(returnTo)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(await page.text())![1]!;
    const login = await fetch(`${issuer}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: issuer,
        cookie: cookiesOf(page),
      },
      body: new URLSearchParams({ email, password, csrf_token: csrf, return_to: returnTo }),
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe(returnTo);
    const cookie = cookiesOf(login);

    const me = await fetch(`${issuer}/v1/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    const { csrfToken, user } = (await me.json()) as { csrfToken: string; user: { email: string } };
    expect(user.email).toBe(email);

    const created = await fetch(`${issuer}/v1/api-keys`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie,
        origin: issuer,
        'x-csrf-token': csrfToken,
      },
      body: JSON.stringify({ name: 'e2e' }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    expect(key).toMatch(/^moat_sk_/);

    const withKey = await fetch(`${issuer}/v1/me/org`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(withKey.status).toBe(200);
    expect(await withKey.json()).toMatchObject({
      role: 'owner',
      usage: { apiKeys: 1, members: 1 },
    });

    const audit = await fetch(`${issuer}/v1/audit?action=user.*`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const events = ((await audit.json()) as { events: { action: string }[] }).events;
    expect(events.map((e) => e.action)).toEqual(['user.login', 'user.signup']);

    const logout = await fetch(`${issuer}/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie, origin: issuer, 'x-csrf-token': csrfToken },
    });
    expect(logout.status).toBe(204);
    expect((await fetch(`${issuer}/v1/me`, { headers: { cookie } })).status).toBe(401);
    // The API key is independent of the browser session.
    expect(
      (await fetch(`${issuer}/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(200);
  });

  it('answers bad input over HTTP with clean 4xx JSON', async () => {
    const { issuer } = platform;
    const bad = await fetch(`${issuer}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const wrong = await fetch(`${issuer}/v1/auth/login`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});
