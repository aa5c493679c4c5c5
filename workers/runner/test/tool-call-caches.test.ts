// The tool call's hot path (docs/decisions.md 2026-12-03): a served server's opened secrets come
// from a short isolate copy that a secret write reaches after the interval, and a busy session
// writes its lastSeen at most once a minute.
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LAST_SEEN_WRITE_MS, type McpSession } from '../src/session';
import { openSecretsCached } from '../src/store/secret-cache';
import { initialize, rpc } from './support/mcp';
import { publishServer, setSecret, uniqueSlug, weatherSpec } from './support/servers';
import { mintToken } from './support/tokens';
import { sessionName } from '../src/session-names';

const TTL = 5000;
const cachedEnv = { ...env, SERVER_REVALIDATE_MS: String(TTL) };

describe('opened secrets at tools/call', () => {
  it('serves the opened value inside the interval and a changed secret after it', async () => {
    const server = await publishServer(weatherSpec(uniqueSlug('secret-cache')));
    await setSecret(server, 'API_KEY', 'sk_first');
    const t = Date.now();
    const at = (now: number) =>
      openSecretsCached(cachedEnv, { id: server.id, version: 1 }, ['API_KEY'], now);
    expect((await at(t)).get('API_KEY')).toBe('sk_first');
    await setSecret(server, 'API_KEY', 'sk_second');
    expect((await at(t + TTL - 1)).get('API_KEY')).toBe('sk_first');
    expect((await at(t + TTL)).get('API_KEY')).toBe('sk_second');
  });

  it('reads the secret again for a newly published version, inside the interval', async () => {
    const server = await publishServer(weatherSpec(uniqueSlug('secret-version')));
    await setSecret(server, 'API_KEY', 'sk_v1');
    const t = Date.now();
    const open = (version: number) =>
      openSecretsCached(cachedEnv, { id: server.id, version }, ['API_KEY'], t);
    expect((await open(1)).get('API_KEY')).toBe('sk_v1');
    await setSecret(server, 'API_KEY', 'sk_v2');
    expect((await open(2)).get('API_KEY')).toBe('sk_v2');
  });

  it('hands each caller its own copy (a connection token added to one is not in the next)', async () => {
    const server = await publishServer(weatherSpec(uniqueSlug('secret-copy')));
    await setSecret(server, 'API_KEY', 'sk_copy');
    const t = Date.now();
    const first = await openSecretsCached(cachedEnv, { id: server.id, version: 1 }, ['API_KEY'], t);
    first.set('connections.github', 'gho_user_token');
    const next = await openSecretsCached(cachedEnv, { id: server.id, version: 1 }, ['API_KEY'], t);
    expect([...next.keys()]).toEqual(['API_KEY']);
  });
});

describe('session lastSeen', () => {
  it('is written to storage once, not on every request, while the session is busy', async () => {
    const slug = uniqueSlug('last-seen');
    const server = await publishServer(weatherSpec(slug));
    const token = await mintToken(slug);
    const sessionId = await initialize(slug, token);
    const stub = env.SESSIONS.get(
      env.SESSIONS.idFromName(
        await sessionName(
          { serverId: server.id, sub: 'usr_alice', clientId: 'cl_test' },
          sessionId,
        ),
      ),
    ) as DurableObjectStub<McpSession>;
    const lastSeen = () =>
      runInDurableObject(stub, (_i, state) => state.storage.kv.get<number>('lastSeen'));
    const first = await lastSeen();
    expect(first).toBeGreaterThan(Date.now() - LAST_SEEN_WRITE_MS);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 5));
      expect((await rpc(slug, token, sessionId, 'ping')).res.status).toBe(200);
    }
    expect(await lastSeen()).toBe(first);
  });
});
