// Per-user connections in the runner (issue 13): each user's own provider token downstream, a
// clean error with the reconnect link when there is none, URL elicitation for clients that
// declared it (2025-11-25) and input_required on 2026-07-28, and audit rows that name the
// connection but never hold its token. Each user signs in at a real provider (oidc-provider) first,
// so the limits are wider than the default 5 s for a loaded machine.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { callTool, initialize, mcpFetch, modernFetch, responseOf, rpc } from './support/mcp';
import {
  connectedSpec,
  connectionRow,
  linkConnection,
  setProviderSecret,
} from './support/connections';
import { publishServer, uniqueSlug, type Seeded } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;

beforeAll(async () => {
  slug = uniqueSlug('conn');
  server = await publishServer(connectedSpec(slug));
  await setProviderSecret(server);
});

const textOf = (result: Record<string, unknown> | undefined) =>
  ((result?.content as { type: string; text: string }[] | undefined) ?? [])
    .map((c) => c.text)
    .join('\n');
const connectLink = () => `${env.ISSUER}/connections/${server.id}/github/connect`;

async function legacyCall(user: string, tool: string, args: Record<string, unknown> = {}) {
  const token = await mintToken(slug, { sub: user, jti: `jti-${user}-${crypto.randomUUID()}` });
  const sessionId = await initialize(slug, token);
  return (await callTool(slug, token, sessionId, tool, args)).message;
}

type SseMessage = {
  id?: number | string;
  method?: string;
  params: { mode?: string; url?: string; elicitationId?: string };
  result: { isError?: boolean; content: { text: string }[] };
};

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
    expect(textOf(carol.result)).toContain(connectLink());
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
    expect(textOf(msg.result)).toContain(connectLink());
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
    expect(textOf(msg.result)).toContain(connectLink());
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
    expect(textOf(msg.result)).toContain(connectLink());
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
    expect(missing.error?.message).toContain(connectLink());
  });
});

describe('URL elicitation for a missing connection', { timeout: 30_000 }, () => {
  it('sends a 2025-11-25 client that declared it elicitation/create in URL mode, then proceeds once linked', async () => {
    const user = 'usr_conn_elicit';
    const token = await mintToken(slug, { sub: user });
    const init = await mcpFetch(
      slug,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: { elicitation: { url: {} } },
          clientInfo: { name: 'elicit', version: '1' },
        },
      },
      { token },
    );
    const sessionId = init.headers.get('mcp-session-id')!;
    await init.text();
    await (
      await mcpFetch(
        slug,
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { token, sessionId },
      )
    ).text();

    const res = await mcpFetch(
      slug,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } },
      { token, sessionId },
    );
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    const next = async () => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('');
          if (data) return JSON.parse(data) as SseMessage;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += value;
      }
    };
    const elicit = await next();
    expect(elicit.method).toBe('elicitation/create');
    expect(elicit.params).toMatchObject({ mode: 'url', url: connectLink() });
    expect(typeof elicit.params.elicitationId).toBe('string');

    // The user links the account at that page, then the client reports the elicitation accepted.
    await linkConnection(server, user);
    const ack = await mcpFetch(
      slug,
      { jsonrpc: '2.0', id: elicit.id, result: { action: 'accept' } },
      { token, sessionId },
    );
    expect(ack.status).toBe(202);
    const answer = await next();
    expect(answer.id).toBe(2);
    expect(answer.result.isError).toBeFalsy();
    expect(JSON.parse(answer.result.content[0]!.text)).toMatchObject({ sub: user });
  });

  it('answers a 2026-07-28 call with input_required and a sealed requestState that proceeds once linked', async () => {
    const user = 'usr_conn_modern';
    const token = await mintToken(slug, { sub: user });
    const caps = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: { url: {} } } };
    const first = await responseOf(
      await modernFetch(
        slug,
        'tools/call',
        { name: 'whoami', arguments: {}, _meta: caps },
        { token },
      ),
    );
    expect(first.result?.resultType).toBe('input_required');
    const requests = first.result?.inputRequests as Record<
      string,
      { method: string; params: unknown }
    >;
    expect(requests.connect_github).toMatchObject({
      method: 'elicitation/create',
      params: { mode: 'url', url: connectLink() },
    });
    const requestState = first.result?.requestState as string;
    expect(requestState).toMatch(/^ms1\./);

    await linkConnection(server, user);
    const retry = await responseOf(
      await modernFetch(
        slug,
        'tools/call',
        {
          name: 'whoami',
          arguments: {},
          requestState,
          inputResponses: { connect_github: { action: 'accept' } },
          _meta: caps,
        },
        { token },
      ),
    );
    expect(retry.result?.resultType).toBe('complete');
    expect(JSON.parse(textOf(retry.result))).toMatchObject({ sub: user });
  });

  it('asks once: a 2026-07-28 retry before the account is linked ends in the tool error and link', async () => {
    const token = await mintToken(slug, { sub: 'usr_conn_modern_slow' });
    const caps = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: { url: {} } } };
    const call = (extra: Record<string, unknown> = {}) =>
      modernFetch(
        slug,
        'tools/call',
        { name: 'whoami', arguments: {}, _meta: caps, ...extra },
        { token },
      ).then(responseOf);
    const first = await call();
    expect(first.result?.resultType).toBe('input_required');
    const retry = await call({
      requestState: first.result?.requestState,
      inputResponses: { connect_github: { action: 'accept' } },
    });
    expect(retry.result?.resultType).toBe('complete');
    expect(retry.result?.isError).toBe(true);
    expect(textOf(retry.result)).toContain(connectLink());
  });

  it('answers a 2026-07-28 client without URL elicitation with the tool error and link', async () => {
    const token = await mintToken(slug, { sub: 'usr_conn_modern_plain' });
    const msg = await responseOf(
      await modernFetch(slug, 'tools/call', { name: 'whoami', arguments: {} }, { token }),
    );
    expect(msg.result?.resultType).toBe('complete');
    expect(msg.result?.isError).toBe(true);
    expect(textOf(msg.result)).toContain(connectLink());
  });
});
