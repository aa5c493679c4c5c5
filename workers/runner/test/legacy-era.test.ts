// MCP 2025-11-25 beside 2026-07-28 on one URL: sessions created before the v2 SDK keep working,
// and the chain's errors name the request they answer.
import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveServer } from '../src/server-cache';
import { sessionName } from '../src/session-names';
import { initialize, mcpFetch, PROTOCOL_VERSION, rpc } from './support/mcp';
import { publishWeather, type Seeded } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;

beforeAll(async () => {
  server = await publishWeather('legacy', {
    apiKey: 'sk_legacy_value',
    addCity: 'legacy_add_city',
  });
  slug = server.slug;
});

describe('the 2025-11-25 era', () => {
  it('keeps serving a session an earlier release stored, under the same name and keys', async () => {
    const sessionId = 'abcdefghijklmnopqrstuvwxyz234567';
    const { version } = (await resolveServer(env, slug))!;
    const name = await sessionName(
      { serverId: server.id, sub: 'usr_alice', clientId: 'cl_test' },
      sessionId,
    );
    const stub = env.SESSIONS.get(env.SESSIONS.idFromName(name));
    // Exactly what McpSession wrote before this release (storage key `binding`, this shape).
    await runInDurableObject(stub, (_i, state) => {
      state.storage.kv.put('binding', {
        sessionId,
        serverId: server.id,
        orgId: server.orgId,
        slug,
        version,
        sub: 'usr_alice',
        clientId: 'cl_test',
        initialize: {
          jsonrpc: '2.0',
          id: 0,
          method: 'initialize',
          params: {
            protocolVersion: PROTOCOL_VERSION,
            capabilities: {},
            clientInfo: { name: 'old', version: '1' },
          },
        },
        createdAt: Date.now() - 60_000,
      });
      state.storage.kv.put('lastSeen', Date.now() - 60_000);
    });
    const token = await mintToken(slug, { sub: 'usr_alice', clientId: 'cl_test' });
    const { res, message } = await rpc(slug, token, sessionId, 'tools/list');
    expect(res.status).toBe(200);
    expect((message.result?.tools as { name: string }[]).map((t) => t.name)).toContain(
      'get_forecast',
    );
  });

  it('answers a call without the tool scope with 403 and the request id', async () => {
    const token = await mintToken(slug, { scope: 'mcp:read' });
    const res = await mcpFetch(
      slug,
      {
        jsonrpc: '2.0',
        id: 'call-77',
        method: 'tools/call',
        params: { name: 'add_city', arguments: {} },
      },
      { token, sessionId: 'abcdefghijklmnopqrstuvwxyz234567' },
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ id: 'call-77', error: { code: -32003 } });
  });

  it('answers a request without Mcp-Session-Id with 400 and the request id', async () => {
    const token = await mintToken(slug);
    const res = await mcpFetch(slug, { jsonrpc: '2.0', id: 5, method: 'tools/list' }, { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ id: 5, error: { code: -32000 } });
  });

  it('answers logging/setLevel in a session (2025-11-25 utilities/logging)', async () => {
    const token = await mintToken(slug);
    const sessionId = await initialize(slug, token);
    const { message } = await rpc(slug, token, sessionId, 'logging/setLevel', { level: 'info' });
    expect(message.error).toBeUndefined();
    expect(message.result).toEqual({});
  });
});
