// KV unavailable for the JWKS: the runner keeps verifying tokens signed with a key it cached, and
// a token that needs a key read it cannot do is refused with a retryable 503, not invalid_token
// (the token may be good). The fault is a KV binding that is down (support/failing-kv.ts).
import { env } from 'cloudflare:test';
import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verificationKey } from '../src/jwks';
import { throughBearerLink } from './support/bearer-link';
import { failingKv } from './support/failing-kv';
import { publishServer, uniqueSlug, weatherSpec } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
beforeAll(async () => {
  slug = uniqueSlug('kvfault');
  await publishServer(weatherSpec(slug));
});

describe('KV unavailable for the JWKS', () => {
  it('keeps verifying tokens signed with a key this isolate cached, without reading KV', async () => {
    expect(await verificationKey(env.KV, 'test-key-1')).toBeDefined(); // warm the isolate
    const KV = failingKv(env.KV);
    const res = await throughBearerLink(slug, await mintToken(slug), { KV });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('reached');
    expect(KV.calls()).toBe(0);
  });

  it('answers 503 with Retry-After, not invalid_token, for a key it would have to read', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = `rotated-${crypto.randomUUID()}`;
    const key = { ...(await exportJWK(privateKey)), kid, alg: 'RS256' };
    const KV = failingKv(env.KV);
    const res = await throughBearerLink(slug, await mintToken(slug, { kid, key }), { KV });
    expect(KV.calls()).toBeGreaterThan(0);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.headers.get('www-authenticate')).toBeNull();
  });
});
