import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccessTokenClaims } from './access-token';
import {
  LEEWAY_SECONDS,
  MAX_TOKEN_LENGTH,
  verifyAccessToken,
  type AccessTokenExpectation,
  type AccessTokenKey,
} from './verify-access-token';

const ISSUER = 'https://as.example';
const RESOURCE = 'https://mcp.example/weather/mcp';
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const nowS = NOW / 1000;

let signing: CryptoKey;
let keyFor: AccessTokenKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signing = pair.privateKey;
  const other = await generateKeyPair('RS256');
  otherKey = other.privateKey;
  keyFor = async (kid) => (kid === 'k1' ? pair.publicKey : undefined);
});

const claims = (over: Partial<Record<keyof AccessTokenClaims, unknown>> = {}): JWTPayload =>
  ({
    iss: ISSUER,
    sub: 'usr_1',
    aud: RESOURCE,
    client_id: 'cl_1',
    server_id: 'srv_1',
    scope: 'mcp:read',
    jti: 'gr_1.abc',
    iat: nowS - 10,
    exp: nowS + 3600,
    ...over,
  }) as JWTPayload;

function sign(
  payload: JWTPayload,
  header: { alg?: string; typ?: string; kid?: string } = {},
  key: CryptoKey = signing,
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k1', ...header })
    .sign(key);
}

const expectation: AccessTokenExpectation = {
  issuer: ISSUER,
  audience: { resource: RESOURCE, serverId: 'srv_1' },
  now: NOW,
};
/** The verdict without `signedClientId` (its own tests below say when it is set). */
const verify = async (token: string, expect: Partial<AccessTokenExpectation> = {}) => {
  const result = await verifyAccessToken(token, keyFor, { ...expectation, ...expect });
  if (result.ok) return result;
  const { signedClientId: _signed, ...rest } = result;
  return rest;
};
const signedClient = async (token: string, expect: Partial<AccessTokenExpectation> = {}) => {
  const result = await verifyAccessToken(token, keyFor, { ...expectation, ...expect });
  return result.ok ? undefined : result.signedClientId;
};

describe('verifyAccessToken', () => {
  it('accepts a token of the profile and returns its claims', async () => {
    const result = await verify(await sign(claims()));
    expect(result).toEqual({ ok: true, claims: claims() });
  });

  it('accepts any audience only when asked for any, and returns the one it names', async () => {
    const token = await sign(claims({ aud: 'https://mcp.example/other/mcp' }));
    expect(await verify(token, { audience: 'any' })).toMatchObject({
      ok: true,
      claims: { aud: 'https://mcp.example/other/mcp' },
    });
  });

  it('gives a token without scope an empty scope (RFC 9068 §2.2.3: scope is optional)', async () => {
    const token = await sign(claims({ scope: undefined }));
    expect(await verify(token)).toMatchObject({ ok: true, claims: { scope: '' } });
  });

  it('refuses an expired token as expired, but not within the leeway', async () => {
    const late = await sign(claims({ exp: nowS - LEEWAY_SECONDS - 1 }));
    expect(await verify(late)).toEqual({ ok: false, reason: 'expired' });
    const skewed = await sign(claims({ exp: nowS - LEEWAY_SECONDS + 5 }));
    expect(await verify(skewed)).toMatchObject({ ok: true });
  });

  it('names the client of a refused token only when its signature verified', async () => {
    const c = claims();
    const expired = await sign(claims({ exp: nowS - LEEWAY_SECONDS - 1 }));
    expect(await signedClient(expired)).toBe(c.client_id);
    const elsewhere = await sign(claims({ aud: 'https://mcp.example/other/mcp' }));
    expect(await signedClient(elsewhere)).toBe(c.client_id);
    expect(await signedClient(await sign(claims(), {}, otherKey))).toBeUndefined();
  });

  it('refuses a token whose nbf is beyond the leeway as not_yet_valid', async () => {
    const token = await sign({ ...claims(), nbf: nowS + LEEWAY_SECONDS + 10 });
    expect(await verify(token)).toEqual({ ok: false, reason: 'not_yet_valid' });
  });

  it('refuses a token issued in the future beyond the leeway as not_yet_valid', async () => {
    const future = await sign(claims({ iat: nowS + LEEWAY_SECONDS + 10 }));
    expect(await verify(future)).toEqual({ ok: false, reason: 'not_yet_valid' });
    const skewed = await sign(claims({ iat: nowS + LEEWAY_SECONDS - 5 }));
    expect(await verify(skewed)).toMatchObject({ ok: true });
  });

  it('refuses a token signed by another key under a known kid as bad_signature', async () => {
    const token = await sign(claims(), {}, otherKey);
    expect(await verify(token)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a token with an unknown or missing kid as unknown_key', async () => {
    expect(await verify(await sign(claims(), { kid: 'k9' }))).toEqual({
      ok: false,
      reason: 'unknown_key',
    });
    const noKid = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
      .sign(signing);
    expect(await verify(noKid)).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('refuses a token of another issuer as wrong_issuer', async () => {
    const token = await sign(claims({ iss: 'https://evil.example' }));
    expect(await verify(token)).toEqual({ ok: false, reason: 'wrong_issuer' });
  });

  it('refuses a token for another resource as wrong_audience', async () => {
    const token = await sign(claims({ aud: 'https://mcp.example/other/mcp' }));
    expect(await verify(token)).toEqual({ ok: false, reason: 'wrong_audience' });
  });

  it('refuses a token for a deleted server whose URL was reused as wrong_audience', async () => {
    const token = await sign(claims({ server_id: 'srv_old' }));
    expect(await verify(token)).toEqual({ ok: false, reason: 'wrong_audience' });
  });

  it('refuses a token naming several audiences as wrong_audience, even for any', async () => {
    const token = await sign(claims({ aud: [RESOURCE, 'https://mcp.example/other/mcp'] }));
    expect(await verify(token)).toEqual({ ok: false, reason: 'wrong_audience' });
    expect(await verify(token, { audience: 'any' })).toEqual({
      ok: false,
      reason: 'wrong_audience',
    });
  });

  it.each(['sub', 'client_id', 'jti', 'iat', 'exp', 'server_id', 'aud'] as const)(
    'refuses a token without %s as missing_claim',
    async (name) => {
      const token = await sign(claims({ [name]: undefined }));
      expect(await verify(token, { audience: 'any' })).toEqual({
        ok: false,
        reason: 'missing_claim',
      });
    },
  );

  it('refuses a token with claims of the wrong type as malformed', async () => {
    for (const over of [{ sub: 7 }, { client_id: ['cl_1'] }, { scope: 3 }, { exp: 'soon' }]) {
      expect(await verify(await sign(claims(over)))).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses what is not a JWT, or is too long, as malformed', async () => {
    expect(await verify('not.a.jwt')).toEqual({ ok: false, reason: 'malformed' });
    expect(await verify('')).toEqual({ ok: false, reason: 'malformed' });
    expect(await verify('a'.repeat(MAX_TOKEN_LENGTH + 1))).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('refuses an ID token or other JWT type as wrong_type (RFC 9068 §4)', async () => {
    expect(await verify(await sign(claims(), { typ: 'JWT' }))).toEqual({
      ok: false,
      reason: 'wrong_type',
    });
  });

  it('refuses a token signed with another algorithm as wrong_algorithm (RFC 8725 §3.1)', async () => {
    const hmac = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
      .sign(new Uint8Array(32));
    expect(await verify(hmac)).toEqual({ ok: false, reason: 'wrong_algorithm' });
    const none = `${btoa(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'k1' }))}.${btoa(
      JSON.stringify(claims()),
    )}.`.replaceAll('=', '');
    expect(await verify(none)).toEqual({ ok: false, reason: 'wrong_algorithm' });
  });
});
