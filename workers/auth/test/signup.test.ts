import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, PASSWORD, signUp, uniqueEmail } from './support/accounts';

describe('POST /v1/auth/signup', () => {
  it('refuses a short password with 422 weak_password naming the password field', async () => {
    const res = await api('/v1/auth/signup', { body: { email: uniqueEmail(), password: 'short' } });
    expect(res.status).toBe(422);
    const body = await res.json<{ error: { code: string; message: string; fields: unknown[] } }>();
    expect(body.error.code).toBe('weak_password');
    expect(body.error.message).toMatch(/at least 10 characters/);
    expect(body.error.fields).toEqual([{ path: 'password', message: body.error.message }]);
  });

  it('refuses an invalid email with 422 validation_failed and the field path', async () => {
    const res = await api('/v1/auth/signup', {
      body: { email: 'not-an-email', password: PASSWORD },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', fields: [{ path: 'email' }] },
    });
  });

  it('refuses unknown fields with 422 naming each one', async () => {
    const res = await api('/v1/auth/signup', {
      body: { email: uniqueEmail(), password: PASSWORD, admin: true },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', fields: [{ path: 'admin', message: 'Unknown field.' }] },
    });
  });

  it('refuses a wrongly typed field with 422 and its path', async () => {
    const res = await api('/v1/auth/signup', { body: { email: uniqueEmail(), password: 12345 } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', fields: [{ path: 'password' }] },
    });
  });

  it('refuses malformed JSON with 400 invalid_json', async () => {
    const res = await api('/v1/auth/signup', { body: '{"email":' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('refuses a non-JSON content type with 415', async () => {
    const res = await api('/v1/auth/signup', {
      body: 'email=a@b.c&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('refuses a duplicate email with 409, whatever its case and spacing', async () => {
    const email = uniqueEmail();
    await signUp(email);
    const res = await api('/v1/auth/signup', {
      body: { email: `  ${email.toUpperCase()} `, password: PASSWORD },
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'email_taken' } });
  });

  it('answers 201 with an HttpOnly SameSite=Lax session cookie and a readable CSRF cookie', async () => {
    const res = await api('/v1/auth/signup', {
      body: { email: uniqueEmail(), password: PASSWORD },
    });
    expect(res.status).toBe(201);
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('moat_session='));
    const csrf = cookies.find((c) => c.startsWith('moat_csrf='));
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).toMatch(/; Path=\//);
    expect(csrf).not.toMatch(/HttpOnly/);
    const body = await res.json<{ csrfToken: string }>();
    expect(csrf).toContain(`moat_csrf=${body.csrfToken};`);
  });

  it('normalizes the email, stores only a PBKDF2 hash, and creates a personal org owned by the user', async () => {
    const email = uniqueEmail('Mixed');
    const res = await api('/v1/auth/signup', {
      body: { email: ` ${email.toUpperCase()}`, password: PASSWORD, name: 'Ada' },
    });
    const { user, orgId } = await res.json<{
      user: { id: string; email: string };
      orgId: string;
    }>();
    expect(user.email).toBe(email.toLowerCase());
    const row = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?')
      .bind(user.id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(row?.password_hash).not.toContain(PASSWORD);
    const member = await env.DB.prepare(
      'SELECT m.role, o.personal FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = ?',
    )
      .bind(user.id)
      .first<{ role: string; personal: number }>();
    expect(member).toEqual({ role: 'owner', personal: 1 });
    expect(orgId).toMatch(/^org_/);
  });

  it('stores the session as a SHA-256 hash of the cookie value, never the cookie itself', async () => {
    const alice = await signUp();
    const value = /moat_session=([^;]+)/.exec(alice.cookie)![1]!;
    const rows = await env.DB.prepare('SELECT id FROM sessions WHERE user_id = ?')
      .bind(alice.user.id)
      .all<{ id: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.id).not.toBe(value);
    expect(rows.results[0]!.id).toMatch(/^[0-9a-f]{64}$/);
  });
});
