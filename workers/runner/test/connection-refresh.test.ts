// Refresh of a user's provider token (issue 13, RFC 6749 §6): before expiry, once per connection
// however many calls find it expiring together (the ConnectionRefresh Durable Object), the rotated
// pair stored with a compare-and-set on `generation`; `invalid_grant` marks the connection
// reconnect_needed and the call answers the reconnect link.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { sealTokenPair } from '../../../lib/connections/tokens';
import { storeRefreshedPair } from '../src/store/connections';
import { callTool, initialize, modernFetch, responseOf, textOf } from './support/mcp';
import {
  connectionRow,
  linkConnection,
  providerGrant,
  providerStats,
  publishConnected,
  revokeAtProvider,
} from './support/connections';
import { mintToken } from './support/tokens';

async function connectedServer(o: { issuer?: boolean; tokenUrl?: string } = {}) {
  const server = await publishConnected('refresh', o);
  return { slug: server.slug, server };
}

async function whoami(slug: string, user: string) {
  const token = await mintToken(slug, { sub: user, jti: crypto.randomUUID() });
  return responseOf(
    await modernFetch(slug, 'tools/call', { name: 'whoami', arguments: {} }, { token }),
  );
}

describe('refreshing a connection token', { timeout: 30_000 }, () => {
  it('refreshes an expiring token exactly once under 20 concurrent calls, and all 20 succeed', async () => {
    const { slug, server } = await connectedServer();
    const user = 'usr_race';
    const grant = await providerGrant(user);
    const before = await providerStats(user);
    // 30 s left: inside the 60 s refresh window.
    const { id } = await linkConnection(server, user, { grant, expiresIn: 30_000 });
    // Ten 2025-11-25 sessions (each its own Durable Object) and ten stateless 2026-07-28 calls.
    const sessions = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const token = await mintToken(slug, { sub: user, jti: crypto.randomUUID() });
        return { token, sessionId: await initialize(slug, token) };
      }),
    );

    const results = await Promise.all([
      ...sessions.map(
        async (s) => (await callTool(slug, s.token, s.sessionId, 'whoami', {})).message,
      ),
      ...Array.from({ length: 10 }, () => whoami(slug, user)),
    ]);

    expect(results.map((r) => r.result?.isError ?? false)).toEqual(Array(20).fill(false));
    for (const r of results) expect(JSON.parse(textOf(r.result))).toMatchObject({ sub: user });
    const after = await providerStats(user);
    expect(after.refreshGrants - before.refreshGrants).toBe(1);
    expect(after.downstreamCalls - before.downstreamCalls).toBe(20);
    const row = await connectionRow(id);
    expect(row).toMatchObject({ status: 'active', generation: 2 });
    expect(row!.accessExpiresAt).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('does not refresh a token that is far from expiry', async () => {
    const { slug, server } = await connectedServer();
    const grant = await providerGrant('usr_fresh');
    const { id } = await linkConnection(server, 'usr_fresh', { grant });
    const msg = await whoami(slug, 'usr_fresh');
    expect(msg.result?.isError).toBeFalsy();
    expect((await providerStats('usr_fresh')).refreshGrants).toBe(0);
    expect((await connectionRow(id))?.generation).toBe(1);
  });

  it('finds the token endpoint in the issuer metadata (RFC 8414) when the spec names an issuer', async () => {
    const { slug, server } = await connectedServer({ issuer: true });
    const grant = await providerGrant('usr_issuer');
    await linkConnection(server, 'usr_issuer', { grant, expiresIn: 1_000 });
    const msg = await whoami(slug, 'usr_issuer');
    expect(msg.result?.isError).toBeFalsy();
    expect(JSON.parse(textOf(msg.result))).toMatchObject({ sub: 'usr_issuer' });
    expect((await providerStats('usr_issuer')).refreshGrants).toBe(1);
  });

  it('marks the connection reconnect_needed on invalid_grant and answers the reconnect link', async () => {
    const { slug, server } = await connectedServer();
    const grant = await providerGrant('usr_dead');
    const { id } = await linkConnection(server, 'usr_dead', { grant, expiresIn: -1_000 });
    // The user revoked Moat at the provider: the refresh token is now invalid_grant.
    await revokeAtProvider('usr_dead');

    const msg = await whoami(slug, 'usr_dead');

    expect(msg.error).toBeUndefined();
    expect(msg.result?.isError).toBe(true);
    expect(textOf(msg.result)).toContain(`${env.ISSUER}/connections/${server.id}/github/connect`);
    expect(textOf(msg.result)).toMatch(/reconnected/);
    const row = await connectionRow(id);
    expect(row?.status).toBe('reconnect_needed');
    expect(row?.statusReason).toMatch(/refused the refresh token/);
    // Once marked, later calls do not ask the provider again.
    await whoami(slug, 'usr_dead');
    expect((await providerStats('usr_issuer')).refreshGrants).toBe(1);
  });
});

describe('a provider that cannot be reached', { timeout: 30_000 }, () => {
  // Nothing listens on port 9 (discard): the refresh request fails to connect.
  const tokenUrl = 'http://127.0.0.1:9/token';

  it('keeps using a token that has not expired yet', async () => {
    const { slug, server } = await connectedServer({ tokenUrl });
    const { id } = await linkConnection(server, 'usr_down_valid', { expiresIn: 30_000 });
    const msg = await whoami(slug, 'usr_down_valid');
    expect(msg.result?.isError).toBeFalsy();
    expect(JSON.parse(textOf(msg.result))).toMatchObject({ sub: 'usr_down_valid' });
    expect(await connectionRow(id)).toMatchObject({ status: 'active', generation: 1 });
  });

  it('answers a clean tool error for an expired token, and leaves the connection active', async () => {
    const { slug, server } = await connectedServer({ tokenUrl });
    const { id } = await linkConnection(server, 'usr_down_expired', { expiresIn: -1_000 });
    const msg = await whoami(slug, 'usr_down_expired');
    expect(msg.error).toBeUndefined();
    expect(msg.result?.isError).toBe(true);
    expect(textOf(msg.result)).toMatch(/could not be refreshed.*unreachable/);
    expect(await connectionRow(id)).toMatchObject({ status: 'active', generation: 1 });
  });
});

describe('storing a refreshed pair', { timeout: 30_000 }, () => {
  it('lets only one of two writes from the same generation win (compare-and-set)', async () => {
    const { server } = await connectedServer();
    const { id } = await linkConnection(server, 'usr_cas');
    const key = { serverId: server.id, userId: 'usr_cas', name: 'github' };
    const a = await sealTokenPair(env.MASTER_KEY, key, { access_token: 'at.a' });
    const b = await sealTokenPair(env.MASTER_KEY, key, { access_token: 'at.b' });
    const wins = await Promise.all([
      storeRefreshedPair(env.DB, id, 1, a, Date.now() + 1000, null),
      storeRefreshedPair(env.DB, id, 1, b, Date.now() + 1000, null),
    ]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await connectionRow(id))?.generation).toBe(2);
  });
});
