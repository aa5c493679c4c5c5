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

  it('trusts the active key from its record when jwks lost it, and only while it is active', async () => {
    const kid = `lost-${crypto.randomUUID()}`;
    const publicJwk = { ...(await newKey(kid)), use: 'sig', alg: 'RS256' };
    await env.KV.put(`signing-key:${kid}`, JSON.stringify({ kid, status: 'active', publicJwk }));
    await env.KV.put('signing-key:active', kid);
    const t0 = Date.now() + 10 * UNKNOWN_KID_TTL_MS; // past any earlier miss of this isolate
    try {
      expect(await verificationKey(env.KV, kid, t0)).toBeDefined();
      // A retired key, or one no pointer names, is never taken from its record.
      const old = `old-${crypto.randomUUID()}`;
      const oldJwk = { ...(await newKey(old)), use: 'sig', alg: 'RS256' };
      await env.KV.put(
        `signing-key:${old}`,
        JSON.stringify({ kid: old, status: 'retired', publicJwk: oldJwk }),
      );
      await env.KV.put('signing-key:next', old);
      expect(await verificationKey(env.KV, old, t0)).toBeUndefined();
      const stray = `stray-${crypto.randomUUID()}`;
      const strayJwk = { ...(await newKey(stray)), use: 'sig', alg: 'RS256' };
      await env.KV.put(
        `signing-key:${stray}`,
        JSON.stringify({ kid: stray, status: 'active', publicJwk: strayJwk }),
      );
      expect(await verificationKey(env.KV, stray, t0)).toBeUndefined();
    } finally {
      await Promise.all(['signing-key:active', 'signing-key:next'].map((k) => env.KV.delete(k)));
    }
  });
});
