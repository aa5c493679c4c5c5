import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { cookiesFrom, ORIGIN, PASSWORD, signUp, uniqueEmail } from './support/accounts';

const RETURN_TO =
  '/authorize?response_type=code&client_id=cl_x&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&state=a%26b&scope=mcp%3Aread';

async function openLogin(returnTo = RETURN_TO) {
  const res = await exports.default.fetch(
    `${ORIGIN}/login?return_to=${encodeURIComponent(returnTo)}`,
  );
  const html = await res.text();
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { res, html, csrf, cookie: cookiesFrom(res) };
}

function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return exports.default.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

describe('GET /login', () => {
  it('renders sign-in and sign-up forms that cannot be framed', async () => {
    const { res, html, csrf } = await openLogin();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('action="/login"');
    expect(html).toContain('action="/signup"');
    expect(html).not.toContain('<script');
    expect(csrf).toMatch(/^[a-z2-7]{20,}$/);
  });

  it('replaces an off-site return_to with "/"', async () => {
    for (const bad of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      const { html } = await openLogin(bad);
      expect(html).toContain('name="return_to" value="/"');
    }
  });

  it('escapes return_to in the HTML', async () => {
    const { html } = await openLogin('/x?a=1&b=2');
    expect(html).toContain('name="return_to" value="/x?a=1&amp;b=2"');
  });
});

describe('POST /login (form)', () => {
  it('refuses a post without the CSRF token with 403 and an inline message', async () => {
    const alice = await signUp();
    const { cookie } = await openLogin();
    const res = await post(
      '/login',
      { email: alice.email, password: PASSWORD, return_to: '/' },
      { cookie },
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('This form expired');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('moat_session='))).toBe(false);
  });

  it('refuses a token that does not match the cookie (double submit) with 403', async () => {
    const alice = await signUp();
    const { csrf } = await openLogin();
    const other = await openLogin();
    const res = await post(
      '/login',
      { email: alice.email, password: PASSWORD, csrf_token: csrf, return_to: '/' },
      { cookie: other.cookie },
    );
    expect(res.status).toBe(403);
  });

  it('refuses a cross-origin post with 403', async () => {
    const alice = await signUp();
    const { csrf, cookie } = await openLogin();
    const res = await post(
      '/login',
      { email: alice.email, password: PASSWORD, csrf_token: csrf, return_to: '/' },
      { cookie, origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
  });

  it('shows a wrong password inline with 401, keeping the email and escaping it', async () => {
    const { csrf, cookie } = await openLogin();
    const email = `"><script>alert(1)</script>${uniqueEmail()}`;
    const res = await post(
      '/login',
      { email, password: 'wrong password', csrf_token: csrf, return_to: '/' },
      { cookie },
    );
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('Email or password is incorrect.');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('signs in and redirects 303 to return_to with its full query string intact', async () => {
    const alice = await signUp();
    const { csrf, cookie } = await openLogin();
    const res = await post(
      '/login',
      { email: alice.email, password: PASSWORD, csrf_token: csrf, return_to: RETURN_TO },
      { cookie },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(RETURN_TO);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('moat_session='))).toMatch(
      /HttpOnly/,
    );
  });

  it('never redirects off-site, even when the posted return_to is absolute', async () => {
    const alice = await signUp();
    const { csrf, cookie } = await openLogin();
    const res = await post(
      '/login',
      {
        email: alice.email,
        password: PASSWORD,
        csrf_token: csrf,
        return_to: 'https://evil.example/',
      },
      { cookie },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
  });
});

/** return_to values that leave the origin once the URL parser has normalised them. */
const HOSTILE = [
  '/.//evil.example/x',
  '/..//evil.example/x',
  '/%2e//evil.example/x',
  '/\\evil.example/x',
  '/./\\evil.example/x',
  '\\/\\/evil.example/x',
  '/\t/evil.example/x',
  '//evil.example/x',
  'https:evil.example',
  'https://evil.example/x',
];

describe('return_to that would leave the origin after normalisation', () => {
  it.each(HOSTILE)('signs in and redirects to "/" for %j', async (returnTo) => {
    const alice = await signUp();
    const { csrf, cookie } = await openLogin();
    const res = await post(
      '/login',
      { email: alice.email, password: PASSWORD, csrf_token: csrf, return_to: returnTo },
      { cookie },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
  });

  it.each(HOSTILE)('signs up and redirects to "/" for %j', async (returnTo) => {
    const { csrf, cookie } = await openLogin();
    const res = await post(
      '/signup',
      { email: uniqueEmail(), password: PASSWORD, csrf_token: csrf, return_to: returnTo },
      { cookie },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
  });

  it.each(HOSTILE)('offers a signed-in user "Continue" to "/" for %j', async (returnTo) => {
    const alice = await signUp();
    const res = await exports.default.fetch(
      `${ORIGIN}/login?return_to=${encodeURIComponent(returnTo)}`,
      { headers: { cookie: alice.cookie } },
    );
    const html = await res.text();
    expect(html).toContain('Signed in as');
    expect(html).toContain('<a href="/">Continue</a>');
    expect(html).toContain('name="return_to" value="/"');
    expect(html).not.toContain('evil.example');
  });
});

describe('POST /signup (form) and POST /logout', () => {
  it('shows a weak password inline with 422', async () => {
    const { csrf, cookie } = await openLogin();
    const res = await post(
      '/signup',
      { email: uniqueEmail(), password: 'short', csrf_token: csrf, return_to: '/' },
      { cookie },
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/at least 10 characters/);
  });

  it('creates the account, signs in, redirects to return_to, and logs out server-side', async () => {
    const { csrf, cookie } = await openLogin();
    const res = await post(
      '/signup',
      {
        email: uniqueEmail(),
        password: PASSWORD,
        name: 'Ada',
        csrf_token: csrf,
        return_to: RETURN_TO,
      },
      { cookie },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(RETURN_TO);
    const session = cookiesFrom(res);
    const me = await exports.default.fetch(`${ORIGIN}/v1/me`, { headers: { cookie: session } });
    expect(me.status).toBe(200);

    // The signed-in page offers a sign-out form carrying the session's CSRF token.
    const page = await exports.default.fetch(`${ORIGIN}/login`, { headers: { cookie: session } });
    const html = await page.text();
    expect(html).toContain('Signed in as');
    const token = /action="\/logout"><input type="hidden" name="csrf_token" value="([^"]+)"/.exec(
      html,
    )?.[1];
    expect(
      (await post('/logout', { csrf_token: 'x'.repeat(30) }, { cookie: session })).status,
    ).toBe(403);
    const out = await post('/logout', { csrf_token: token! }, { cookie: session });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    const after = await exports.default.fetch(`${ORIGIN}/v1/me`, { headers: { cookie: session } });
    expect(after.status).toBe(401);
  });
});
