import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_SESSIONS_PER_PRINCIPAL } from '../src/principal-sessions';
import { IDLE_TTL_MS } from '../src/session';
import { principalName, sessionName } from '../src/session-names';
import { initialize, mcpFetch, rpc } from './support/mcp';
import { publishServer, setSecret, uniqueSlug, weatherSpec, type Seeded } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;

beforeAll(async () => {
  slug = uniqueSlug('limit');
  server = await publishServer(weatherSpec(slug));
  await setSecret(server, 'API_KEY', 'sk_limit_secret');
});

const ping = (token: string, sessionId: string) => rpc(slug, token, sessionId, 'ping');
const open = (token: string, n: number) =>
  Array.from({ length: n }).reduce<Promise<string[]>>(
    async (ids) => [...(await ids), await initialize(slug, token)],
    Promise.resolve([]),
  );

async function liveSessions(sub: string, clientId: string): Promise<string[]> {
  const ns = env.PRINCIPAL_SESSIONS;
  const stub = ns.get(ns.idFromName(await principalName({ serverId: server.id, sub, clientId })));
  return runInDurableObject(stub, (_i, state) =>
    (state.storage.kv.get<{ id: string }[]>('live') ?? []).map((s) => s.id),
  );
}

// Each test opens up to 35 sessions: more than the default 5 s on a busy machine.
describe('sessions per principal', { timeout: 60_000 }, () => {
  it('ends the oldest session when a principal opens one past the limit', async () => {
    const token = await mintToken(slug, { sub: 'usr_many' });
    const ids = await open(token, MAX_SESSIONS_PER_PRINCIPAL + 1);
    const oldest = await mcpFetch(
      slug,
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      {
        token,
        sessionId: ids[0]!,
      },
    );
    expect(oldest.status).toBe(404);
    expect(await oldest.json()).toMatchObject({ error: { code: -32001 } });
    expect((await ping(token, ids[1]!)).res.status).toBe(200);
    expect((await ping(token, ids.at(-1)!)).res.status).toBe(200);
    expect(await liveSessions('usr_many', 'cl_test')).toEqual(ids.slice(1));
    // The ended session's storage (and its stored initialize) is gone.
    const stub = env.SESSIONS.get(
      env.SESSIONS.idFromName(
        await sessionName({ serverId: server.id, sub: 'usr_many', clientId: 'cl_test' }, ids[0]!),
      ),
    );
    expect(await runInDurableObject(stub, (_i, s) => [...s.storage.kv.list()].length)).toBe(0);
  });

  it("does not count another client's or another user's sessions", async () => {
    const other = await mintToken(slug, { sub: 'usr_quiet', clientId: 'cl_a' });
    const kept = await initialize(slug, other);
    const sameUserOtherClient = await mintToken(slug, { sub: 'usr_quiet', clientId: 'cl_b' });
    await open(sameUserOtherClient, MAX_SESSIONS_PER_PRINCIPAL + 1);
    const otherUser = await mintToken(slug, { sub: 'usr_loud', clientId: 'cl_a' });
    await open(otherUser, MAX_SESSIONS_PER_PRINCIPAL + 1);
    expect((await ping(other, kept)).res.status).toBe(200);
  });

  it('frees the slot of a session ended by DELETE', async () => {
    const token = await mintToken(slug, { sub: 'usr_deletes' });
    const ids = await open(token, MAX_SESSIONS_PER_PRINCIPAL);
    const del = await mcpFetch(slug, undefined, { token, sessionId: ids[1]!, method: 'DELETE' });
    expect(del.status).toBe(200);
    await initialize(slug, token);
    expect((await ping(token, ids[0]!)).res.status).toBe(200);
  });

  it('frees the slot of a session that expired idle', async () => {
    const token = await mintToken(slug, { sub: 'usr_idle' });
    const [first, second] = await open(token, 2);
    const stub = env.SESSIONS.get(
      env.SESSIONS.idFromName(
        await sessionName({ serverId: server.id, sub: 'usr_idle', clientId: 'cl_test' }, first!),
      ),
    );
    await runInDurableObject(stub, (_i, state) => {
      state.storage.kv.put('lastSeen', Date.now() - IDLE_TTL_MS - 1);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await liveSessions('usr_idle', 'cl_test')).toEqual([second]);
  });
});
