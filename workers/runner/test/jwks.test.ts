import { env } from 'cloudflare:test';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { UNKNOWN_KID_TTL_MS, verificationKey } from '../src/jwks';
import { publicJwk, publishTestJwks } from './support/tokens';

async function newKey(kid: string) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return publicJwk({ ...(await exportJWK(privateKey)), kid });
}

describe('JWKS cache', () => {
  it('remembers a kid still unknown after a refetch, then looks again once that expires', async () => {
    const kid = `late-${crypto.randomUUID()}`;
    const t0 = Date.now();
    expect(await verificationKey(env.KV, 'test-key-1', t0)).toBeDefined();
    expect(await verificationKey(env.KV, kid, t0)).toBeUndefined();
    // Published now, but the miss is remembered: no KV read per request for this kid.
    await publishTestJwks([await newKey(kid)]);
    expect(await verificationKey(env.KV, kid, t0 + 1000)).toBeUndefined();
    expect(await verificationKey(env.KV, kid, t0 + UNKNOWN_KID_TTL_MS + 1)).toBeDefined();
  });

  it('ignores keys that are not RS256 RSA signing keys', async () => {
    const enc = { ...(await newKey(`enc-${crypto.randomUUID()}`)), use: 'enc' };
    const hs = { kty: 'oct', k: 'c2VjcmV0', kid: `hs-${crypto.randomUUID()}`, alg: 'HS256' };
    await publishTestJwks([enc, hs]);
    expect(await verificationKey(env.KV, enc.kid!)).toBeUndefined();
    expect(await verificationKey(env.KV, hs.kid)).toBeUndefined();
  });
});
