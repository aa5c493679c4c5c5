import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lib/crypto/hash';
import { signUp } from './support/accounts';
import {
  connect,
  hostServer,
  oauthError,
  refresh,
  register,
  verifyWithJwks,
  type TokenBody,
} from './support/oauth-client';

async function connected(scope?: string) {
  const alice = await signUp();
  const server = await hostServer(alice);
  const { client, tokens } = await connect(alice, server, { scope });
  return { alice, server, client, tokens };
}

async function expectInvalidGrant(res: Response) {
  expect(res.status).toBe(400);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await oauthError(res)).toBe('invalid_grant');
}

async function liveTokens(grantOf: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT token_hash FROM refresh_tokens WHERE grant_id =
       (SELECT grant_id FROM refresh_tokens WHERE token_hash = ?)
     AND used_at IS NULL AND revoked_at IS NULL`,
  )
    .bind(await sha256Hex(grantOf))
    .all<{ token_hash: string }>();
  return results.map((r) => r.token_hash);
}

async function ageRotation(token: string, ms: number) {
  await env.DB.prepare('UPDATE refresh_tokens SET used_at = used_at - ? WHERE token_hash = ?')
    .bind(ms, await sha256Hex(token))
    .run();
}

describe('refresh_token at /token', () => {
  it('rotates: a new refresh token and a fresh access token for the same grant', async () => {
    const { server, client, tokens } = await connected();
    const res = await refresh({ client, refreshToken: tokens.refresh_token! });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const next = await res.json<TokenBody>();
    expect(next.refresh_token).toMatch(/^moat_rt_/);
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    const a = await verifyWithJwks(tokens.access_token);
    const b = await verifyWithJwks(next.access_token);
    expect(b.payload).toMatchObject({
      aud: server.resource,
      sub: a.payload.sub,
      scope: a.payload.scope,
    });
    expect(b.payload.jti).not.toBe(a.payload.jti);
    expect(await liveTokens(next.refresh_token!)).toEqual([await sha256Hex(next.refresh_token!)]);
  });

  it('revokes the whole family when a rotated token is reused after the grace window', async () => {
    const { client, tokens } = await connected();
    const next = await (
      await refresh({ client, refreshToken: tokens.refresh_token! })
    ).json<TokenBody>();
    await ageRotation(tokens.refresh_token!, 11_000);
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
    await expectInvalidGrant(await refresh({ client, refreshToken: next.refresh_token! }));
    const audit = await env.DB.prepare(
      `SELECT COUNT(*) AS n FROM audit_events WHERE action = 'oauth.refresh.reuse_detected'`,
    ).first<{ n: number }>();
    expect(audit!.n).toBe(1);
  });

  it('revokes the family when the old token is reused after its successor was used', async () => {
    const { client, tokens } = await connected();
    const t2 = await (
      await refresh({ client, refreshToken: tokens.refresh_token! })
    ).json<TokenBody>();
    const t3 = await (await refresh({ client, refreshToken: t2.refresh_token! })).json<TokenBody>();
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
    await expectInvalidGrant(await refresh({ client, refreshToken: t3.refresh_token! }));
  });

  it('within the grace window, replaces a lost successor and keeps one live token', async () => {
    const { client, tokens } = await connected();
    const lost = await (
      await refresh({ client, refreshToken: tokens.refresh_token! })
    ).json<TokenBody>();
    const retry = await refresh({ client, refreshToken: tokens.refresh_token! });
    expect(retry.status).toBe(200);
    const kept = await retry.json<TokenBody>();
    expect(await liveTokens(kept.refresh_token!)).toEqual([await sha256Hex(kept.refresh_token!)]);
    // The lost one is dead; presenting it now is reuse of a revoked token.
    await expectInvalidGrant(await refresh({ client, refreshToken: lost.refresh_token! }));
    await expectInvalidGrant(await refresh({ client, refreshToken: kept.refresh_token! }));
  });

  it('leaves exactly one live refresh token after 20 concurrent refreshes with one token', async () => {
    const { client, tokens } = await connected();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => refresh({ client, refreshToken: tokens.refresh_token! })),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(400);
      expect(await oauthError(r)).toBe('invalid_grant');
    }
    const issued = await Promise.all(
      ok.map(async (r) => sha256Hex((await r.json<TokenBody>()).refresh_token!)),
    );
    const live = await liveTokens(tokens.refresh_token!);
    expect(live).toHaveLength(1);
    expect(issued).toContain(live[0]);
    const grant = await env.DB.prepare(
      'SELECT revoked_at FROM grants WHERE id = (SELECT grant_id FROM refresh_tokens WHERE token_hash = ?)',
    )
      .bind(live[0])
      .first<{ revoked_at: number | null }>();
    expect(grant!.revoked_at).toBeNull();
  });

  it('refuses a refresh token presented by another client', async () => {
    const { tokens } = await connected();
    const other = await register();
    await expectInvalidGrant(await refresh({ client: other, refreshToken: tokens.refresh_token! }));
  });

  it('refuses a refresh token past its idle lifetime', async () => {
    const { client, tokens } = await connected();
    await env.DB.prepare('UPDATE refresh_tokens SET idle_expires_at = ? WHERE token_hash = ?')
      .bind(Date.now() - 1, await sha256Hex(tokens.refresh_token!))
      .run();
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
  });

  it('refuses a refresh token past the grant’s absolute lifetime', async () => {
    const { client, tokens } = await connected();
    await env.DB.prepare(
      'UPDATE grants SET expires_at = ? WHERE id = (SELECT grant_id FROM refresh_tokens WHERE token_hash = ?)',
    )
      .bind(Date.now() - 1, await sha256Hex(tokens.refresh_token!))
      .run();
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
  });

  it('sets a 30-day idle and a 90-day absolute lifetime by default', async () => {
    const { tokens } = await connected();
    const row = await env.DB.prepare(
      `SELECT r.idle_expires_at - r.created_at AS idle, g.expires_at - g.created_at AS absolute
       FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id WHERE r.token_hash = ?`,
    )
      .bind(await sha256Hex(tokens.refresh_token!))
      .first<{ idle: number; absolute: number }>();
    expect(row).toEqual({ idle: 30 * 86_400_000, absolute: 90 * 86_400_000 });
  });

  it('may narrow the scope', async () => {
    const { client, tokens } = await connected();
    const res = await refresh({ client, refreshToken: tokens.refresh_token!, scope: 'mcp:read' });
    expect(res.status).toBe(200);
    const body = await res.json<TokenBody>();
    expect(body.scope).toBe('mcp:read');
    expect((await verifyWithJwks(body.access_token)).payload.scope).toBe('mcp:read');
  });

  it('refuses to widen the scope with invalid_scope', async () => {
    const { client, tokens } = await connected('mcp:read');
    const res = await refresh({
      client,
      refreshToken: tokens.refresh_token!,
      scope: 'mcp:read mcp:write',
    });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_scope');
  });

  it('refuses another resource with invalid_target', async () => {
    const { alice, client, tokens } = await connected();
    const other = await hostServer(alice);
    const res = await refresh({
      client,
      refreshToken: tokens.refresh_token!,
      resource: other.resource,
    });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('invalid_target');
  });

  it('revokes the grant when the user lost access to the server', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const server = await hostServer(alice, { visibility: 'public' });
    const { client, tokens } = await connect(bob, server);
    await env.DB.prepare(`UPDATE servers SET visibility = 'private' WHERE id = ?`)
      .bind(server.id)
      .run();
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
  });

  it('stores refresh tokens only hashed', async () => {
    const { tokens } = await connected();
    const all = JSON.stringify(await env.DB.prepare('SELECT * FROM refresh_tokens').all());
    expect(all).not.toContain(tokens.refresh_token!);
    expect(all).toContain(await sha256Hex(tokens.refresh_token!));
  });
});
