// D1 failing in the middle of a write: the client gets a clear retryable error (503 with
// Retry-After; an RFC body on /token, an ApiError on /v1) and nothing is half-written, because
// each write is one D1 batch (atomic). The fault is a real D1 binding that fails one statement
// (support/faulty-d1.ts): either before it runs (an outage) or after it committed (a timeout).
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../lib/crypto/hash';
import worker from '../src/index';
import { ORIGIN, signUp } from './support/accounts';
import { faultyD1 } from './support/faulty-d1';
import {
  authorize,
  connect,
  exchangeCode,
  hostServer,
  REDIRECT_URI,
  refresh,
  register,
  type TokenBody,
} from './support/oauth-client';
import { ServerSpecSchema } from '../../../lib/spec/server-spec';
import { publish } from '../src/control-plane/build/publish';
import { createServer, sampleSpec, uniqueSlug } from './support/servers';

async function fetchWith(DB: D1Database, path: string, init: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), { ...env, DB } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const form = (params: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(params).toString(),
});

async function expectRetryableOAuth(res: Response) {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
}

const count = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...args)
    .first<{ n: number }>())!.n;

describe('D1 failing during a code redemption', () => {
  it('answers 503 temporarily_unavailable, writes no grant, and the same code works on retry', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register();
    const { code, verifier } = await authorize({ client, user: alice, resource: server.resource });
    const params = {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    };
    const DB = faultyD1(env.DB, 'UPDATE auth_codes SET used_at', 'before');
    await expectRetryableOAuth(await fetchWith(DB, '/token', form(params)));
    expect(DB.tripped()).toBe(true);
    const codeHash = await sha256Hex(code);
    expect(
      await count(
        'SELECT COUNT(*) AS n FROM auth_codes WHERE code_hash = ? AND used_at IS NULL',
        codeHash,
      ),
    ).toBe(1);
    expect(
      await count('SELECT COUNT(*) AS n FROM grants WHERE client_id = ?', client.client_id),
    ).toBe(0);
    const retry = await exchangeCode({ client, code, verifier });
    expect(retry.status).toBe(200);
    expect(
      await count('SELECT COUNT(*) AS n FROM grants WHERE client_id = ?', client.client_id),
    ).toBe(1);
  });
});

describe('D1 failing during a refresh rotation', () => {
  async function rotateThroughFault(when: 'before' | 'after') {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client, tokens } = await connect(alice, server);
    const old = tokens.refresh_token!;
    const DB = faultyD1(env.DB, 'UPDATE refresh_tokens SET used_at', when);
    const params = { grant_type: 'refresh_token', client_id: client.client_id, refresh_token: old };
    await expectRetryableOAuth(await fetchWith(DB, '/token', form(params)));
    expect(DB.tripped()).toBe(true);
    // The client retries with the token it holds.
    const retry = await refresh({ client, refreshToken: old });
    expect(retry.status).toBe(200);
    const next = await retry.json<TokenBody>();
    const live = await env.DB.prepare(
      `SELECT token_hash FROM refresh_tokens WHERE grant_id =
         (SELECT grant_id FROM refresh_tokens WHERE token_hash = ?)
       AND used_at IS NULL AND revoked_at IS NULL`,
    )
      .bind(await sha256Hex(old))
      .all<{ token_hash: string }>();
    expect(live.results.map((r) => r.token_hash)).toEqual([await sha256Hex(next.refresh_token!)]);
    expect((await refresh({ client, refreshToken: next.refresh_token! })).status).toBe(200);
  }

  it('answers 503 before the rotation commits, and the old token still rotates once', async () => {
    await rotateThroughFault('before');
  });

  it('answers 503 when the rotation committed but its answer was lost, and the retry gets the one live successor', async () => {
    await rotateThroughFault('after');
  });
});

describe('D1 failing during a secret write', () => {
  it('answers 503 storage_unavailable with Retry-After and stores neither the secret nor its audit row', async () => {
    const alice = await signUp();
    const created = await createServer(alice, sampleSpec());
    const DB = faultyD1(env.DB, 'INSERT INTO secrets', 'before');
    const res = await fetchWith(DB, `/v1/servers/${created.id}/secrets/API_KEY`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        cookie: alice.cookie,
        origin: ORIGIN,
        'x-csrf-token': alice.csrfToken,
      },
      body: JSON.stringify({ value: 'sk-live-1' }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await res.json()).toMatchObject({ error: { code: 'storage_unavailable' } });
    expect(await count('SELECT COUNT(*) AS n FROM secrets WHERE server_id = ?', created.id)).toBe(
      0,
    );
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM audit_events WHERE resource = ? AND action = 'server.secret.set'",
        created.id,
      ),
    ).toBe(0);
  });
});

describe("D1 failing during a build's publish", () => {
  async function publishThroughFault(when: 'before' | 'after') {
    const alice = await signUp();
    const slug = uniqueSlug('pubfault');
    const created = await createServer(alice, sampleSpec(slug));
    const spec = ServerSpecSchema.parse(sampleSpec(slug, { description: 'v2' }));
    const DB = faultyD1(env.DB, 'INSERT INTO server_versions', when);
    const input = {
      buildId: `bld_fault${Date.now()}`,
      serverId: created.id,
      createdBy: alice.user.id,
      spec,
      options: {},
    };
    const outcome = await publish({ ...env, DB } as Env, input, spec, async () => {}).then(
      (r) => ({ ok: r }),
      (err: unknown) => ({ err }),
    );
    expect(DB.tripped()).toBe(true);
    const state = await env.DB.prepare(
      `SELECT current_version AS current,
         (SELECT COUNT(*) FROM server_versions WHERE server_id = ?1) AS versions
       FROM servers WHERE id = ?1`,
    )
      .bind(created.id)
      .first<{ current: number; versions: number }>();
    return { outcome, state };
  }

  it('fails the publish step with a retry hint and leaves the previous version live', async () => {
    const { outcome, state } = await publishThroughFault('before');
    expect(outcome).toMatchObject({
      err: { failure: { step: 'publish', fix: 'Run the build again.' } },
    });
    expect(state).toEqual({ current: 1, versions: 1 });
  });

  it('reports the version published when the batch committed but its answer was lost', async () => {
    const { outcome, state } = await publishThroughFault('after');
    expect(outcome).toEqual({ ok: { version: 2, previous: 1 } });
    expect(state).toEqual({ current: 2, versions: 2 });
  });
});
