// The first signing key is created once, whoever asks first (D1 claim, store/first-signing-key.ts),
// and the active key verifies everywhere even when the published `jwks` lost it.
import { env } from 'cloudflare:test';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  forgetSigningKey,
  signAccessToken,
  verifyAccessToken,
} from '../src/authorization-server/access-token';
import { oauthConfig } from '../src/authorization-server/config';
import { signUp, type SignedUp } from './support/accounts';
import { fetchAs, hostServer, runnerInitialize, type HostedServer } from './support/oauth-client';

/** A platform that has never signed: no key in KV, no claim in D1, nothing cached here. */
async function noKeyYet() {
  await Promise.all(
    ['jwks', 'signing-key:active', 'signing-key:next'].map((k) => env.KV.delete(k)),
  );
  await env.DB.prepare('DELETE FROM first_signing_key').run();
  forgetSigningKey();
}

const sign = (user: SignedUp, server: HostedServer, jti: string) =>
  signAccessToken(env, oauthConfig(env), {
    sub: user.user.id,
    aud: server.resource,
    client_id: 'first-key-test',
    server_id: server.id,
    scope: 'mcp:read',
    jti,
  });

const initialize = (server: HostedServer, token: string) =>
  runnerInitialize(server.resource, token);

async function publishedKids(): Promise<string[]> {
  const set = await env.KV.get<{ keys: { kid: string }[] }>('jwks', 'json');
  return (set?.keys ?? []).map((k) => k.kid);
}

describe('first signing key', () => {
  it('ends 20 concurrent first uses with one key, and every token verifies at the runner', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    await noKeyYet();
    const issued = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sign(alice, server, `first-${i}`)),
    );
    const kids = new Set(issued.map((t) => t.kid));
    expect(kids.size).toBe(1);
    const [kid] = kids;
    expect(await env.KV.get('signing-key:active')).toBe(kid);
    expect(await publishedKids()).toEqual([kid]);
    const claims = await env.DB.prepare('SELECT kid FROM first_signing_key').all();
    expect(claims.results).toEqual([{ kid }]);
    for (const { token } of issued) {
      const res = await initialize(server, token);
      expect(res.status).toBe(200);
      await res.text();
    }
  }, 60_000); // 20 RSA key generations (every caller makes a candidate before the claim)

  it('signs with the claimed key when KV has not seen it, without creating another', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    await noKeyYet();
    const first = await sign(alice, server, 'claimed-1');
    // This location's KV does not show the key yet (eventual consistency); D1 does.
    await Promise.all(
      ['jwks', 'signing-key:active', `signing-key:${first.kid}`].map((k) => env.KV.delete(k)),
    );
    forgetSigningKey();
    const second = await sign(alice, server, 'claimed-2');
    expect(second.kid).toBe(first.kid);
    expect(await env.KV.get('signing-key:active')).toBe(first.kid);
    expect(await publishedKids()).toEqual([first.kid]);
  });
});

describe('a jwks that lost the active key', () => {
  it('still verifies at the AS and the runner, and is republished', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    await noKeyYet(); // a key the runner's isolate has never cached
    const { token, kid } = await sign(alice, server, 'lost-1');
    expect(decodeProtectedHeader(token).kid).toBe(kid);
    // A concurrent read-modify-write of `jwks` dropped it.
    await env.KV.put('jwks', JSON.stringify({ keys: [] }));

    const res = await initialize(server, token);
    expect(res.status).toBe(200);
    await res.text();
    expect(await verifyAccessToken(env, oauthConfig(env), token)).toMatchObject({ jti: 'lost-1' });
    expect(await publishedKids()).toEqual([kid]);

    await env.KV.put('jwks', JSON.stringify({ keys: [] }));
    const jwks = await (
      await fetchAs('/.well-known/jwks.json')
    ).json<{ keys: { kid: string }[] }>();
    expect(jwks.keys.map((k) => k.kid)).toEqual([kid]);
    expect(await publishedKids()).toEqual([kid]);
  });

  it('does not bring back a retired key that jwks dropped', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    await noKeyYet();
    const { token, kid } = await sign(alice, server, 'retired-1');
    const record = await env.KV.get<Record<string, unknown>>(`signing-key:${kid}`, 'json');
    await env.KV.put(
      `signing-key:${kid}`,
      JSON.stringify({ ...record, status: 'retired', retiredAt: Date.now() - 86_400_000 }),
    );
    await env.KV.put('signing-key:active', 'k_someotherkey');
    await env.KV.put('jwks', JSON.stringify({ keys: [] }));
    expect(await verifyAccessToken(env, oauthConfig(env), token)).toBeUndefined();
    expect(await publishedKids()).toEqual([]);
    await noKeyYet();
  });
});
