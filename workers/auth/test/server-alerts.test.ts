import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { AlertSetSchema, AlertStatusSchema } from '../../../lib/api/alerts';
import { alertAad, openSecret } from '../../../lib/crypto/envelope';
import { api, signUp, type SignedUp } from './support/accounts';
import { expectShape } from './support/contract';
import { createServer } from './support/servers';

const alertsOf = (id: string) => `/v1/servers/${id}/alerts`;

async function addMember(owner: SignedUp, role: 'admin' | 'member'): Promise<SignedUp> {
  const user = await signUp();
  await env.DB.prepare(
    'INSERT INTO members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)',
  )
    .bind(owner.orgId, user.user.id, role, Date.now())
    .run();
  return user;
}

describe('/v1/servers/:id/alerts', () => {
  it('sets a webhook and shows its signing secret once, sealed at rest; GET never shows it', async () => {
    const owner = await signUp();
    const server = await createServer(owner);
    const res = await api(alertsOf(server.id), {
      as: owner,
      method: 'PUT',
      body: { url: 'https://hooks.example.com/moat?token=abc' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const set = expectShape(AlertSetSchema, await res.json());
    expect(set.alert.url).toBe('https://hooks.example.com/moat?token=abc');
    expect(set.secret).toMatch(/^whsec_[A-Za-z0-9_-]{20,}$/);

    const row = await env.DB.prepare('SELECT * FROM server_alerts WHERE server_id = ?')
      .bind(server.id)
      .first<{ ciphertext: string; iv: string; wrapped_key: string; key_version: number }>();
    expect(JSON.stringify(row)).not.toContain(set.secret);
    const opened = await openSecret(
      env.MASTER_KEY,
      {
        ciphertext: row!.ciphertext,
        iv: row!.iv,
        wrappedKey: row!.wrapped_key,
        keyVersion: row!.key_version,
      },
      alertAad(server.id),
    );
    expect(opened).toBe(set.secret);

    const got = expectShape(
      AlertStatusSchema,
      await (await api(alertsOf(server.id), { as: owner })).json(),
    );
    expect(got.alert?.url).toBe(set.alert.url);
    expect(JSON.stringify(got)).not.toContain('whsec_');

    // The audit row names the host only: a webhook URL may carry a token.
    const audit = await env.DB.prepare(
      `SELECT metadata FROM audit_events WHERE action = 'server.alert.set' AND resource = ?`,
    )
      .bind(server.id)
      .first<{ metadata: string }>();
    expect(JSON.parse(audit!.metadata)).toMatchObject({ host: 'hooks.example.com' });
    expect(audit!.metadata).not.toContain('token=abc');
  });

  it('issues a new secret on every PUT and keeps the creation time', async () => {
    const owner = await signUp();
    const server = await createServer(owner);
    const put = async (url: string) =>
      expectShape(
        AlertSetSchema,
        await (await api(alertsOf(server.id), { as: owner, method: 'PUT', body: { url } })).json(),
      );
    const a = await put('https://hooks.example.com/a');
    const b = await put('https://hooks.example.com/b');
    expect(b.secret).not.toBe(a.secret);
    expect(b.alert).toMatchObject({
      url: 'https://hooks.example.com/b',
      createdAt: a.alert.createdAt,
    });
  });

  it.each([
    ['another scheme', 'ftp://hooks.example.com/x', 'https'],
    ['credentials', 'https://user:pw@hooks.example.com/x', 'credentials'],
    ['a fragment', 'https://hooks.example.com/x#y', 'fragment'],
    ['not a URL', 'hooks', 'absolute URL'],
  ])('refuses a webhook URL with %s with 422 on the url field', async (_, url, words) => {
    const owner = await signUp();
    const server = await createServer(owner);
    const res = await api(alertsOf(server.id), { as: owner, method: 'PUT', body: { url } });
    expect(res.status).toBe(422);
    const body = await res.json<{
      error: { code: string; message: string; fields: { path: string }[] };
    }>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toContain(words);
    expect(body.error.fields[0]?.path).toBe('url');
  });

  it('lets members read but only owners and admins set or remove, and hides it from other orgs', async () => {
    const owner = await signUp();
    const server = await createServer(owner);
    const member = await addMember(owner, 'member');
    const admin = await addMember(owner, 'admin');
    const h = { 'x-moat-org': owner.orgId };
    const body = { url: 'https://hooks.example.com/x' };
    expect(
      (await api(alertsOf(server.id), { as: member, method: 'PUT', body, headers: h })).status,
    ).toBe(403);
    expect(
      (await api(alertsOf(server.id), { as: admin, method: 'PUT', body, headers: h })).status,
    ).toBe(200);
    expect((await api(alertsOf(server.id), { as: member, headers: h })).status).toBe(200);
    expect(
      (await api(alertsOf(server.id), { as: member, method: 'DELETE', headers: h })).status,
    ).toBe(403);
    const stranger = await signUp();
    expect((await api(alertsOf(server.id), { as: stranger })).status).toBe(404);
    expect((await api(alertsOf(server.id), { as: stranger, method: 'PUT', body })).status).toBe(
      404,
    );
  }, 20_000); // four sign-ups (PBKDF2 each) on a loaded machine

  it('removes the webhook with DELETE (204), then answers 404 to another DELETE', async () => {
    const owner = await signUp();
    const server = await createServer(owner);
    await api(alertsOf(server.id), {
      as: owner,
      method: 'PUT',
      body: { url: 'https://hooks.example.com/x' },
    });
    expect((await api(alertsOf(server.id), { as: owner, method: 'DELETE' })).status).toBe(204);
    const got = expectShape(
      AlertStatusSchema,
      await (await api(alertsOf(server.id), { as: owner })).json(),
    );
    expect(got.alert).toBeNull();
    const again = await api(alertsOf(server.id), { as: owner, method: 'DELETE' });
    expect(again.status).toBe(404);
  });
});
