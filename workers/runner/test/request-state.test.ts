// requestState the runner hands out is sealed to one server, one principal and ten minutes
// (src/request-state.ts); the SDK's verify hook refuses anything else with -32602 (mcp-server.ts).
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RequestStateBinding, RequestStateError } from '../src/request-state';
import { openRequestState, REQUEST_STATE_TTL_MS, sealRequestState } from '../src/request-state';
import { modernFetch, responseOf } from './support/mcp';
import { publishServer, setSecret, uniqueSlug, weatherSpec, type Seeded } from './support/servers';
import { mintToken } from './support/tokens';

const alice = { serverId: 'srv_a', sub: 'usr_alice', clientId: 'cl_one' };

async function refusal(state: string, binding: RequestStateBinding = alice, now = Date.now()) {
  try {
    await openRequestState(env.MASTER_KEY, binding, state, now);
  } catch (err) {
    return (err as RequestStateError).reason;
  }
  return 'opened';
}

describe('requestState sealing', () => {
  it('opens a state it sealed for the same server and principal', async () => {
    const state = await sealRequestState(env.MASTER_KEY, alice, { step: 2, answers: ['x'] });
    expect(await openRequestState(env.MASTER_KEY, alice, state)).toEqual({
      step: 2,
      answers: ['x'],
    });
  });

  it('hides the payload from the client that holds the state', async () => {
    const state = await sealRequestState(env.MASTER_KEY, alice, { note: 'visible-to-nobody' });
    expect(atob(state.split('.')[2]!.replaceAll('-', '+').replaceAll('_', '/'))).not.toContain(
      'visible-to-nobody',
    );
  });

  it('refuses a tampered state', async () => {
    const state = await sealRequestState(env.MASTER_KEY, alice, { step: 1 });
    const last = state.at(-2) === 'A' ? 'B' : 'A';
    expect(await refusal(`${state.slice(0, -2)}${last}${state.at(-1)}`)).toBe('unsealed');
  });

  it('refuses a state replayed at another server', async () => {
    const state = await sealRequestState(env.MASTER_KEY, alice, { step: 1 });
    expect(await refusal(state, { ...alice, serverId: 'srv_b' })).toBe('unsealed');
  });

  it('refuses a state replayed by another user or another client', async () => {
    const state = await sealRequestState(env.MASTER_KEY, alice, { step: 1 });
    expect(await refusal(state, { ...alice, sub: 'usr_mallory' })).toBe('unsealed');
    expect(await refusal(state, { ...alice, clientId: 'cl_two' })).toBe('unsealed');
  });

  it('refuses a state replayed at another URL of the server: a toolset or the full server', async () => {
    const state = await sealRequestState(env.MASTER_KEY, { ...alice, toolset: 'issues' }, {});
    expect(await refusal(state, alice)).toBe('unsealed');
    expect(await refusal(state, { ...alice, toolset: 'admin' })).toBe('unsealed');
    expect(await refusal(state, { ...alice, toolset: 'issues' })).toBe('opened');
  });

  it('refuses an expired state', async () => {
    const state = await sealRequestState(env.MASTER_KEY, alice, { step: 1 });
    expect(await refusal(state, alice, Date.now() + REQUEST_STATE_TTL_MS + 1)).toBe('expired');
  });

  it('refuses strings it never sealed', async () => {
    for (const s of ['', 'ms1.', 'ms1.a.b.c', 'v1.eyJ9.sig', 'ms1.!!!!.????']) {
      expect(await refusal(s)).toBe('malformed');
    }
  });
});

describe('requestState on a 2026-07-28 tools/call', () => {
  let slug: string;
  let server: Seeded;

  beforeAll(async () => {
    slug = uniqueSlug('mrtr');
    server = await publishServer(weatherSpec(slug));
    await setSecret(server, 'API_KEY', 'sk_mrtr_value');
  });

  const call = (token: string, requestState: string, id: number) =>
    modernFetch(
      slug,
      'tools/call',
      { name: 'get_forecast', arguments: { city: 'Oslo' }, requestState },
      { token, id },
    );

  it('refuses a forged requestState with -32602 and the request id', async () => {
    const token = await mintToken(slug);
    const msg = await responseOf(await call(token, 'ms1.forged.state', 31));
    expect(msg).toMatchObject({ id: 31, error: { code: -32602 } });
  });

  it('refuses a requestState sealed for another user', async () => {
    const state = await sealRequestState(
      env.MASTER_KEY,
      {
        serverId: server.id,
        sub: 'usr_mallory',
        clientId: 'cl_test',
      },
      { round: 2 },
    );
    const token = await mintToken(slug, { sub: 'usr_alice', clientId: 'cl_test' });
    const msg = await responseOf(await call(token, state, 32));
    expect(msg).toMatchObject({ id: 32, error: { code: -32602 } });
  });

  it('accepts a requestState sealed for this user at this server', async () => {
    const state = await sealRequestState(
      env.MASTER_KEY,
      { serverId: server.id, sub: 'usr_alice', clientId: 'cl_test' },
      { round: 2 },
    );
    const token = await mintToken(slug, { sub: 'usr_alice', clientId: 'cl_test' });
    const msg = await responseOf(await call(token, state, 33));
    expect(msg.id).toBe(33);
    expect(msg.error).toBeUndefined();
    expect(JSON.stringify(msg.result?.content)).toContain('Oslo');
  });
});
