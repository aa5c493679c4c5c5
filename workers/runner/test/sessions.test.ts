import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lib/crypto/hash';
import { IDLE_TTL_MS, type McpSession } from '../src/session';
import { callTool, initialize, mcpFetch, rpc } from './support/mcp';
import {
  publishNewVersion,
  publishServer,
  publishWeather,
  type Seeded,
  uniqueSlug,
  weatherSpec,
} from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;

beforeAll(async () => {
  server = await publishWeather('sessions', { apiKey: 'sk_sessions_value' });
  slug = server.slug;
});

const ping = (id = 7) => ({ jsonrpc: '2.0', id, method: 'ping' });

async function sessionStub(s: Seeded, sub: string, clientId: string, sessionId: string) {
  const name = await sha256Hex(`${s.id}\n${sub}\n${clientId}\n${sessionId}`);
  return env.SESSIONS.get(env.SESSIONS.idFromName(name)) as DurableObjectStub<McpSession>;
}

describe('MCP sessions', () => {
  it("refuses a session id presented with another user's token, and the owner keeps it", async () => {
    const alice = await mintToken(slug, { sub: 'usr_alice' });
    const sessionId = await initialize(slug, alice);
    const mallory = await mintToken(slug, { sub: 'usr_mallory' });
    const hijack = await mcpFetch(slug, ping(), { token: mallory, sessionId });
    expect(hijack.status).toBe(404);
    expect(await hijack.json()).toMatchObject({
      error: { code: -32001, message: 'Session not found' },
    });
    const owner = await rpc(slug, alice, sessionId, 'ping');
    expect(owner.res.status).toBe(200);
    expect(owner.message.result).toEqual({});
  });

  it('refuses the same user through another client', async () => {
    const viaA = await mintToken(slug, { clientId: 'cl_a' });
    const sessionId = await initialize(slug, viaA);
    const viaB = await mintToken(slug, { clientId: 'cl_b' });
    expect((await mcpFetch(slug, ping(), { token: viaB, sessionId })).status).toBe(404);
  });

  it('refuses the session at another server even for the same user', async () => {
    const token = await mintToken(slug);
    const sessionId = await initialize(slug, token);
    const other = uniqueSlug('sessions-b');
    await publishServer(weatherSpec(other));
    const res = await mcpFetch(other, ping(), { token: await mintToken(other), sessionId });
    expect(res.status).toBe(404);
  });

  it('answers 404 for an unknown session id so the client re-initializes', async () => {
    const token = await mintToken(slug);
    const res = await mcpFetch(slug, ping(), { token, sessionId: 'a'.repeat(32) });
    expect(res.status).toBe(404);
    const malformed = await mcpFetch(slug, ping(), { token, sessionId: '../../etc' });
    expect(malformed.status).toBe(404);
  });

  it('requires Mcp-Session-Id on requests other than initialize', async () => {
    const res = await mcpFetch(slug, ping(), { token: await mintToken(slug) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: -32000 } });
  });

  it('ends a session on DELETE and deletes its storage', async () => {
    const token = await mintToken(slug);
    const sessionId = await initialize(slug, token);
    const del = await mcpFetch(slug, undefined, { token, sessionId, method: 'DELETE' });
    expect(del.status).toBe(200);
    expect((await mcpFetch(slug, ping(), { token, sessionId })).status).toBe(404);
    const stub = await sessionStub(server, 'usr_alice', 'cl_test', sessionId);
    expect(await runInDurableObject(stub, (_i, state) => [...state.storage.kv.list()].length)).toBe(
      0,
    );
  });

  it('expires an idle session with its alarm and deletes its storage', async () => {
    const token = await mintToken(slug);
    const sessionId = await initialize(slug, token);
    const stub = await sessionStub(server, 'usr_alice', 'cl_test', sessionId);
    // Still active: the alarm re-arms instead of deleting.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await rpc(slug, token, sessionId, 'ping')).res.status).toBe(200);
    await runInDurableObject(stub, (_i, state) => {
      state.storage.kv.put('lastSeen', Date.now() - IDLE_TTL_MS - 1);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runInDurableObject(stub, (_i, state) => [...state.storage.kv.list()].length)).toBe(
      0,
    );
    expect((await mcpFetch(slug, ping(), { token, sessionId })).status).toBe(404);
  });

  it('survives eviction: the session is rebuilt from storage', async () => {
    const token = await mintToken(slug);
    const sessionId = await initialize(slug, token);
    const stub = await sessionStub(server, 'usr_alice', 'cl_test', sessionId);
    await runInDurableObject(stub, (_i, state) => state.abort('simulated eviction')).catch(
      () => {},
    );
    const { res, message } = await callTool(slug, token, sessionId, 'get_forecast', {
      city: 'Lima',
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(message.result)).toContain('Lima');
  });

  it('ends sessions of an older version once a new one is published', async () => {
    const s = uniqueSlug('versions');
    const srv = await publishServer(weatherSpec(s));
    const token = await mintToken(s);
    const old = await initialize(s, token);
    const spec2 = weatherSpec(s);
    spec2.tools[0]!.name = 'get_weather';
    await publishNewVersion(srv, spec2);
    expect((await mcpFetch(s, ping(), { token, sessionId: old })).status).toBe(404);
    const fresh = await initialize(s, token);
    const { message } = await rpc(s, token, fresh, 'tools/list');
    expect((message.result?.tools as { name: string }[]).map((t) => t.name)).toEqual([
      'get_weather',
    ]);
  });

  it('refuses a foreign Origin (DNS rebinding) and accepts the runner origin', async () => {
    const token = await mintToken(slug);
    const sessionId = await initialize(slug, token);
    const evil = await mcpFetch(slug, ping(), {
      token,
      sessionId,
      headers: { origin: 'http://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ error: { code: -32000 } });
    const own = await mcpFetch(slug, ping(), {
      token,
      sessionId,
      headers: { origin: env.RUNNER_ORIGIN },
    });
    expect(own.status).toBe(200);
    await own.text();
  });

  it('opens the GET event stream for a live session', async () => {
    const token = await mintToken(slug);
    const sessionId = await initialize(slug, token);
    const res = await mcpFetch(slug, undefined, {
      token,
      sessionId,
      method: 'GET',
      headers: { accept: 'text/event-stream' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    await res.body?.cancel();
  });

  it('answers other HTTP methods with 405 and Allow', async () => {
    const res = await mcpFetch(slug, undefined, { token: await mintToken(slug), method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, DELETE');
  });

  it('never hands the bearer token to the session', async () => {
    const token = await mintToken(slug);
    const sessionId = await initialize(slug, token);
    const stub = await sessionStub(server, 'usr_alice', 'cl_test', sessionId);
    const stored = await runInDurableObject(stub, (_i, state) =>
      JSON.stringify([...state.storage.kv.list()]),
    );
    expect(stored).not.toContain(token.split('.')[2]!);
    expect(stored).toContain('usr_alice');
  });
});
