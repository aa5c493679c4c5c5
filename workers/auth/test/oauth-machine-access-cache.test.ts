// client_credentials' access decision kept per isolate for a few seconds
// (store/machine-access-cache.ts): a revocation made in this isolate is seen at once, and a token
// minted from a decision kept across a revocation made elsewhere is still stopped by that
// revocation's rule, because its iat is the time the decision was read.
import { env } from 'cloudflare:test';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { revokes } from '../../../lib/tokens/revocation';
import { oauthConfig } from '../src/authorization-server/config';
import { MACHINE_ACCESS_CACHE_MS } from '../src/store/machine-access-cache';
import { api, signUp } from './support/accounts';
import { ccToken, machineClient } from './support/machine-clients';
import { hostServer, oauthError } from './support/oauth-client';

type TokenBody = { access_token: string; expires_in: number };

async function machineGrantId(clientId: string, serverId: string): Promise<string> {
  const row = await env.DB.prepare('SELECT id FROM grants WHERE client_id = ? AND server_id = ?')
    .bind(clientId, serverId)
    .first<{ id: string }>();
  return row!.id;
}

describe('the machine access decision at /token', () => {
  it('refuses a machine grant revoked through /v1 at once, though its decision was kept', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client } = await machineClient(alice);
    // The first token opens the grant; the second keeps the allowing decision.
    expect((await ccToken(client, { resource: server.resource })).status).toBe(200);
    expect((await ccToken(client, { resource: server.resource })).status).toBe(200);
    const grantId = await machineGrantId(client.client_id, server.id);
    const del = await api(`/v1/servers/${server.id}/grants/${grantId}`, {
      as: alice,
      method: 'DELETE',
    });
    expect(del.status).toBe(204);
    const res = await ccToken(client, { resource: server.resource });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_target');
  });

  it('dates a token from a kept decision to its read, so a rule written elsewhere after the read stops it', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client } = await machineClient(alice);
    expect((await ccToken(client, { resource: server.resource })).status).toBe(200);
    const kept = await ccToken(client, { resource: server.resource });
    expect(kept.status).toBe(200);
    const readAt = decodeJwt((await kept.json<TokenBody>()).access_token).iat! * 1000;
    const grantId = await machineGrantId(client.client_id, server.id);
    // Another isolate revokes the grant (plain SQL: this isolate's copy is not told).
    const revokedAt = Date.now();
    await env.DB.batch([
      env.DB.prepare('UPDATE grants SET revoked_at = ?, revoked_reason = ? WHERE id = ?').bind(
        revokedAt,
        'grant_revoked',
        grantId,
      ),
      env.DB.prepare(
        `INSERT INTO token_revocations (grant_id, issued_before, expires_at, reason, created_at)
         VALUES (?, ?, ?, 'grant_revoked', ?)`,
      ).bind(grantId, revokedAt, revokedAt + 3_900_000, revokedAt),
    ]);
    // Past the rule's one-second resolution, still inside the kept decision's window.
    await new Promise((r) => setTimeout(r, 1_100));
    const res = await ccToken(client, { resource: server.resource });
    if (res.status === 400) {
      // Only a decision past its window is read afresh (a slow machine): then it must refuse.
      expect(Date.now() - readAt).toBeGreaterThanOrEqual(MACHINE_ACCESS_CACHE_MS);
      expect(await oauthError(res)).toBe('invalid_target');
      return;
    }
    expect(res.status).toBe(200);
    const body = await res.json<TokenBody>();
    const claims = decodeJwt(body.access_token);
    expect(claims.iat! * 1000).toBeLessThan(revokedAt);
    const ttl = oauthConfig(env).accessTokenTtlSeconds;
    expect(claims.exp! - claims.iat!).toBe(ttl);
    expect(body.expires_in).toBeLessThanOrEqual(ttl);
    const rule = { grantId, issuedBefore: revokedAt, expiresAt: revokedAt + 3_900_000 };
    const presented = {
      sub: client.client_id,
      clientId: client.client_id,
      grantId,
      serverId: server.id,
      orgId: alice.orgId,
      iat: claims.iat!,
    };
    expect(revokes(rule, presented)).toBe(true);
  });
});
