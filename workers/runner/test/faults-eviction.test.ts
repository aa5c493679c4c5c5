// A Durable Object evicted in the middle of a tools/call (its isolate reset, as a deploy or an
// eviction does): the client gets an answer — a clean error or the completed call — within a
// bound, never a hang, and the session is usable again on the next request (its state is in
// Durable Object storage, which survives the reset).
import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionName } from '../src/session-names';
import { callTool, initialize } from './support/mcp';
import {
  getTool,
  publishWithApiKey,
  type Seeded,
  uniqueSlug,
  weatherSpec,
} from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;
let token: string;

beforeAll(async () => {
  slug = uniqueSlug('evict');
  const spec = weatherSpec(slug);
  spec.tools.push(getTool('slow', '/slow?tag=evict&ms=1500', 5000));
  server = await publishWithApiKey(spec, 'sk_evict');
  token = await mintToken(slug, { sub: 'usr_evict', clientId: 'cl_evict' });
});

describe('a Durable Object evicted mid-call', () => {
  it('answers the in-flight call (an error or the result) without hanging, and the session keeps working', async () => {
    const sessionId = await initialize(slug, token);
    const stub = env.SESSIONS.get(
      env.SESSIONS.idFromName(
        await sessionName(
          { serverId: server.id, sub: 'usr_evict', clientId: 'cl_evict' },
          sessionId,
        ),
      ),
    );
    const started = Date.now();
    const inFlight = callTool(slug, token, sessionId, 'slow', {}).then(
      async ({ res, message }) => ({ status: res.status, message }),
      (err: unknown) => ({ status: 0, message: { error: String(err) } }),
    );
    await new Promise((r) => setTimeout(r, 300));
    await runInDurableObject(stub, (_i, state) => state.abort('evicted for the test')).catch(
      () => undefined,
    );
    const answer = await inFlight;
    expect(Date.now() - started).toBeLessThan(5000);
    // Either the call completed, or its id got a clean JSON-RPC error saying to retry.
    const m = answer.message as { result?: unknown; error?: { code?: number; message?: string } };
    if (m.result === undefined) {
      expect(m.error).toMatchObject({ code: -32000, message: expect.stringMatching(/retry/) });
    }
    expect([200, 503]).toContain(answer.status);
    const next = await callTool(slug, token, sessionId, 'get_forecast', { city: 'Evicted' });
    expect(next.res.status).toBe(200);
    expect(JSON.stringify(next.message.result)).toContain('Evicted');
  });
});
