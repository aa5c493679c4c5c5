import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { openSecret, secretAad } from '../../../lib/crypto/envelope';
import { api, signUp } from './support/accounts';
import { createServer } from './support/servers';

const VALUE = 'sk_live_registry_secret_9876';

describe('/v1/servers/:id/secrets', () => {
  it('stores a declared secret sealed, reports it as set and never returns the value', async () => {
    const alice = await signUp();
    const server = await createServer(alice);
    const put = await api(`/v1/servers/${server.id}/secrets/API_KEY`, {
      as: alice,
      method: 'PUT',
      body: { value: VALUE },
    });
    expect(put.status).toBe(200);
    const putBody = await put.text();
    expect(putBody).not.toContain(VALUE);
    expect(JSON.parse(putBody)).toMatchObject({
      name: 'API_KEY',
      set: true,
      updatedAt: expect.any(Number),
    });

    for (const path of [`/v1/servers/${server.id}`, `/v1/servers/${server.id}/secrets`]) {
      const text = await (await api(path, { as: alice })).text();
      expect(text).not.toContain(VALUE);
      expect(JSON.parse(text).secrets).toEqual([
        { name: 'API_KEY', description: 'API key', set: true, updatedAt: expect.any(Number) },
      ]);
    }

    const row = await env.DB.prepare('SELECT * FROM secrets WHERE server_id = ?')
      .bind(server.id)
      .first<{
        ciphertext: string;
        iv: string;
        wrapped_key: string;
        key_version: number;
      }>();
    expect(JSON.stringify(row)).not.toContain(VALUE);
    expect(row?.key_version).toBe(1);
    const opened = await openSecret(
      env.MASTER_KEY,
      {
        ciphertext: row!.ciphertext,
        iv: row!.iv,
        wrappedKey: row!.wrapped_key,
        keyVersion: row!.key_version,
      },
      secretAad(server.id, 'API_KEY'),
    );
    expect(opened).toBe(VALUE);

    const { results } = await env.DB.prepare('SELECT * FROM audit_events WHERE resource = ?')
      .bind(server.id)
      .all();
    expect(JSON.stringify(results)).not.toContain(VALUE);
    expect(results.map((r) => r.action)).toContain('server.secret.set');
  });

  it('refuses a name the spec does not declare with 404 unknown_secret', async () => {
    const alice = await signUp();
    const server = await createServer(alice);
    const res = await api(`/v1/servers/${server.id}/secrets/OTHER`, {
      as: alice,
      method: 'PUT',
      body: { value: 'x' },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_secret' } });
  });

  it('refuses an empty value with 422 on the value field', async () => {
    const alice = await signUp();
    const server = await createServer(alice);
    const res = await api(`/v1/servers/${server.id}/secrets/API_KEY`, {
      as: alice,
      method: 'PUT',
      body: { value: '' },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', fields: [{ path: 'value' }] },
    });
  });

  it('deletes a secret, after which it reads as not set', async () => {
    const alice = await signUp();
    const server = await createServer(alice);
    await api(`/v1/servers/${server.id}/secrets/API_KEY`, {
      as: alice,
      method: 'PUT',
      body: { value: VALUE },
    });
    const del = await api(`/v1/servers/${server.id}/secrets/API_KEY`, {
      as: alice,
      method: 'DELETE',
    });
    expect(del.status).toBe(204);
    const list = await (
      await api(`/v1/servers/${server.id}/secrets`, { as: alice })
    ).json<{ secrets: { set: boolean }[] }>();
    expect(list.secrets[0]!.set).toBe(false);
    const again = await api(`/v1/servers/${server.id}/secrets/API_KEY`, {
      as: alice,
      method: 'DELETE',
    });
    expect(again.status).toBe(404);
  });
});
