// KV unavailable at the Authorization Server: it fails closed — no token is signed with a key it
// cannot confirm, the JWKS is not served from nothing — with a retryable 503, and nothing is
// consumed, so the client's retry succeeds once KV is back. (The runner side, which keeps
// verifying with the keys it cached, is workers/runner/test/faults-kv.test.ts.)
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { forgetSigningKey } from '../src/authorization-server/access-token';
import { failingKv } from '../../runner/test/support/failing-kv';
import { ORIGIN, signUp } from './support/accounts';
import { connect, hostServer, refresh } from './support/oauth-client';

async function fetchWithKvDown(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const KV = failingKv(env.KV);
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), { ...env, KV } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function expectRetryable(res: Response) {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
}

describe('KV unavailable at the Authorization Server', () => {
  it('issues no token on refresh, answers 503 temporarily_unavailable, and the refresh token still works after', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client, tokens } = await connect(alice, server);
    // The key the isolate confirmed less than 5 s ago signs without KV (docs/decisions.md
    // 2026-12-03 "Token endpoint caches"); this is the request that must read it.
    forgetSigningKey();
    const res = await fetchWithKvDown('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: client.client_id,
        refresh_token: tokens.refresh_token!,
      }).toString(),
    });
    await expectRetryable(res);
    expect((await refresh({ client, refreshToken: tokens.refresh_token! })).status).toBe(200);
  });

  it('answers 503 for the JWKS instead of an empty or stale key set', async () => {
    await expectRetryable(await fetchWithKvDown('/.well-known/jwks.json'));
  });
});
