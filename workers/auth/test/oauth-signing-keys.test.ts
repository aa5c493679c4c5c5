import { env } from 'cloudflare:test';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { api, signUp, type SignedUp } from './support/accounts';
import {
  connect,
  fetchAs,
  hostServer,
  refresh,
  verifyWithJwks,
  type TokenBody,
} from './support/oauth-client';

// Storage is shared by the tests of this file: the first account created here is the operator.
let operator: SignedUp | undefined;
async function theOperator(): Promise<SignedUp> {
  operator ??= await signUp();
  return operator;
}

async function publishedKids(): Promise<string[]> {
  const { keys } = await (
    await fetchAs('/.well-known/jwks.json')
  ).json<{ keys: { kid: string }[] }>();
  return keys.map((k) => k.kid);
}

describe('signing key rotation', () => {
  it('publishes the next key first and keeps signing with the current one until it activates', async () => {
    const op = await theOperator();
    const server = await hostServer(op);
    const { client, tokens } = await connect(op, server);
    const before = decodeProtectedHeader(tokens.access_token).kid!;
    const res = await api('/v1/signing-keys/rotate', { as: op, body: { delaySeconds: 3600 } });
    expect(res.status).toBe(201);
    const { kid } = await res.json<{ kid: string }>();
    expect(await publishedKids()).toEqual(expect.arrayContaining([before, kid]));
    const next = await (
      await refresh({ client, refreshToken: tokens.refresh_token! })
    ).json<TokenBody>();
    expect(decodeProtectedHeader(next.access_token).kid).toBe(before);
    // A second rotation while one is pending returns the pending one.
    const again = await api('/v1/signing-keys/rotate', { as: op, body: { delaySeconds: 3600 } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ kid, alreadyPending: true });
  });

  it('signs with the new key once it is active and keeps the old one published', async () => {
    const op = await theOperator();
    const server = await hostServer(op);
    const { client, tokens } = await connect(op, server);
    const before = decodeProtectedHeader(tokens.access_token).kid!;
    await env.KV.delete('signing-key:next');
    const res = await api('/v1/signing-keys/rotate', { as: op, body: { delaySeconds: 0 } });
    const { kid } = await res.json<{ kid: string }>();
    const next = await (
      await refresh({ client, refreshToken: tokens.refresh_token! })
    ).json<TokenBody>();
    expect(decodeProtectedHeader(next.access_token).kid).toBe(kid);
    expect(kid).not.toBe(before);
    expect(await publishedKids()).toEqual(expect.arrayContaining([before, kid]));
    // Tokens signed by the retired key still verify against the published set.
    await verifyWithJwks(tokens.access_token);
    await verifyWithJwks(next.access_token);
    const old = JSON.parse((await env.KV.get(`signing-key:${before}`))!) as { status: string };
    expect(old.status).toBe('retired');
  });

  it('drops a retired key from the JWKS once its tokens have all expired', async () => {
    const op = await theOperator();
    const active = (await env.KV.get('signing-key:active'))!;
    const { kid } = await (
      await api('/v1/signing-keys/rotate', { as: op, body: { delaySeconds: 0 } })
    ).json<{ kid: string }>();
    const retired = JSON.parse((await env.KV.get(`signing-key:${active}`))!) as Record<
      string,
      unknown
    >;
    await env.KV.put(
      `signing-key:${active}`,
      JSON.stringify({ ...retired, retiredAt: Date.now() - 2 * 3600_000 }),
    );
    await env.KV.delete('signing-key:next');
    await api('/v1/signing-keys/rotate', { as: op, body: { delaySeconds: 0 } });
    const kids = await publishedKids();
    expect(kids).not.toContain(active);
    expect(kids).toContain(kid);
  });

  it('activates a pending key at once when asked again with delay 0', async () => {
    const op = await theOperator();
    await env.KV.delete('signing-key:next');
    const first = await api('/v1/signing-keys/rotate', { as: op, body: { delaySeconds: 3600 } });
    const { kid } = await first.json<{ kid: string }>();
    const now = await api('/v1/signing-keys/rotate', { as: op, body: { delaySeconds: 0 } });
    expect(now.status).toBe(200);
    expect(await now.json()).toMatchObject({ kid, alreadyPending: true });
    expect(await env.KV.get('signing-key:active')).toBe(kid);
  });

  it('refuses anyone but the operator with 403', async () => {
    await theOperator();
    const other = await signUp();
    const res = await api('/v1/signing-keys/rotate', { as: other, body: {} });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('requires a signed-in user', async () => {
    const res = await api('/v1/signing-keys/rotate', { body: {} });
    expect(res.status).toBe(401);
  });
});
