// Per-user connections in the runner (issue 13): each user's own provider token downstream, a
// clean error with the reconnect link when there is none, and audit rows that name the
// connection but never hold its token (URL elicitation: connection-elicitation.test.ts). Each
// user signs in at a real provider (oidc-provider) first, so the limits are wider than the default
// 5 s for a loaded machine.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { callTool, initialize, rpc, textOf } from './support/mcp';
import {
  connectLink,
  connectionRow,
  linkConnection,
  publishConnected,
} from './support/connections';
import { type Seeded } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;

beforeAll(async () => {
  server = await publishConnected('conn');
  slug = server.slug;
});

async function legacyCall(user: string, tool: string, args: Record<string, unknown> = {}) {
  const token = await mintToken(slug, { sub: user, jti: `jti-${user}-${crypto.randomUUID()}` });
  const sessionId = await initialize(slug, token);
  return (await callTool(slug, token, sessionId, tool, args)).message;
}

async function auditRows(user: string) {
  for (let i = 0; i < 50; i++) {
    const { results } = await env.DB.prepare(
      `SELECT metadata FROM audit_events WHERE action = 'tool.call' AND resource = ? AND actor = ?`,
    )
      .bind(server.id, user)
      .all<{ metadata: string }>();
    if (results.length > 0) return results.map((r) => r.metadata);
    await new Promise((r) => setTimeout(r, 20));
  }
  return [];
}

describe('a tool using {{connections.github.access_token}}', { timeout: 30_000 }, () => {
  it('reaches the API as each calling user with their own token', async () => {
    await linkConnection(server, 'usr_conn_alice');
    await linkConnection(server, 'usr_conn_bob');
    const alice = await legacyCall('usr_conn_alice', 'whoami');
    const bob = await legacyCall('usr_conn_bob', 'whoami');
    expect(alice.result?.isError).toBeFalsy();
    expect(JSON.parse(textOf(alice.result))).toMatchObject({ sub: 'usr_conn_alice' });
    expect(JSON.parse(textOf(bob.result))).toMatchObject({ sub: 'usr_conn_bob' });
  });

  it("stops only the removed user's calls when one user removes their connection", async () => {
    const { id } = await linkConnection(server, 'usr_conn_carol');
    await linkConnection(server, 'usr_conn_dave');
    // What DELETE /v1/me/connections/:id does to the row.
    await env.DB.prepare('DELETE FROM user_connections WHERE id = ?').bind(id).run();
    const carol = await legacyCall('usr_conn_carol', 'whoami');
    const dave = await legacyCall('usr_conn_dave', 'whoami');
    expect(carol.result?.isError).toBe(true);
    expect(textOf(carol.result)).toContain(connectLink(server));
    expect(JSON.parse(textOf(dave.result))).toMatchObject({ sub: 'usr_conn_dave' });
  });

  it('records last_used_at and names the connection in the audit row, never the token', async () => {
    const { id, grant } = await linkConnection(server, 'usr_conn_audit');
    await legacyCall('usr_conn_audit', 'whoami');
    const [metadata] = await auditRows('usr_conn_audit');
    expect(JSON.parse(metadata!)).toMatchObject({ tool: 'whoami', connections: ['github'] });
    expect(metadata).not.toContain(grant.access_token);
    expect(metadata).not.toContain(grant.refresh_token!);
    let row = await connectionRow(id);
    for (let i = 0; i < 50 && !row?.lastUsedAt; i++) {
      await new Promise((r) => setTimeout(r, 20));
      row = await connectionRow(id);
    }
    expect(row?.lastUsedAt).toBeGreaterThan(0);
  });

  it('redacts the token when the API echoes it back', async () => {
    const { grant } = await linkConnection(server, 'usr_conn_leak');
    const msg = await legacyCall('usr_conn_leak', 'leak');
    expect(JSON.stringify(msg.result)).not.toContain(grant.access_token);
    expect(textOf(msg.result)).toContain('[redacted]');
  });

  it('answers a user without the connection with a tool error carrying the connect link', async () => {
    const msg = await legacyCall('usr_conn_nobody', 'whoami');
    expect(msg.error).toBeUndefined();
    expect(msg.result?.isError).toBe(true);
    expect(textOf(msg.result)).toContain(connectLink(server));
    const [metadata] = await auditRows('usr_conn_nobody');
    expect(JSON.parse(metadata!)).toMatchObject({
      outcome: 'connection_needed',
      connections: ['github'],
      connection_status: 'missing',
    });
  });

  it('answers a revoked connection with the reconnect link', async () => {
    await linkConnection(server, 'usr_conn_revoked', { status: 'revoked' });
    const msg = await legacyCall('usr_conn_revoked', 'whoami');
    expect(msg.result?.isError).toBe(true);
    expect(textOf(msg.result)).toMatch(/revoked/);
    expect(textOf(msg.result)).toContain(connectLink(server));
  });

  it('answers a pair copied from another user with the reconnect link, never their token', async () => {
    const { grant } = await linkConnection(server, 'usr_conn_victim');
    const { id } = await linkConnection(server, 'usr_conn_thief');
    // The envelope's AAD binds it to (server, user, name): a copied row does not open.
    await env.DB.prepare(
      `UPDATE user_connections SET (ciphertext, iv, wrapped_key) = (SELECT ciphertext, iv,
         wrapped_key FROM user_connections WHERE server_id = ? AND user_id = 'usr_conn_victim')
       WHERE id = ?`,
    )
      .bind(server.id, id)
      .run();
    const msg = await legacyCall('usr_conn_thief', 'whoami');
    expect(msg.result?.isError).toBe(true);
    expect(textOf(msg.result)).toContain(connectLink(server));
    expect(JSON.stringify(msg)).not.toContain(grant.access_token);
  });

  it('refuses a machine client (client_credentials) with a clean tool error', async () => {
    const token = await mintToken(slug, { sub: 'cl_machine', clientId: 'cl_machine' });
    const sessionId = await initialize(slug, token);
    const { message } = await callTool(slug, token, sessionId, 'whoami', {});
    expect(message.result?.isError).toBe(true);
    expect(textOf(message.result)).toMatch(/machine client/);
  });
});

describe('a resource template using a connection', { timeout: 30_000 }, () => {
  it('reads as the calling user, and answers a user without it with the connect link', async () => {
    await linkConnection(server, 'usr_conn_reader');
    const read = async (user: string) => {
      const token = await mintToken(slug, { sub: user });
      const sessionId = await initialize(slug, token);
      return (await rpc(slug, token, sessionId, 'resources/read', { uri: 'github://me/repos' }))
        .message;
    };
    const ok = await read('usr_conn_reader');
    const contents = ok.result?.contents as { uri: string; text: string }[];
    expect(JSON.parse(contents[0]!.text)).toMatchObject({
      sub: 'usr_conn_reader',
      path: '/me/repos',
    });
    const missing = await read('usr_conn_unlinked_reader');
    expect(missing.error?.message).toContain(connectLink(server));
  });
});
