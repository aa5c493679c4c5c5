// Access tokens exactly as docs/architecture.md pins them (RS256, typ at+jwt, kid; iss, sub,
// aud, client_id, server_id, scope, jti, iat, exp), signed with the test key the setup file
// published. `server_id` is the id of the server now published at the slug, unless given.
import { env } from 'cloudflare:test';
import { importJWK, SignJWT, type JWK } from 'jose';

const jwk = JSON.parse(env.TEST_SIGNING_KEY) as JWK & { kid: string };

export function publicJwk(key: JWK & { kid: string } = jwk): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = key;
  return { ...pub, use: 'sig', alg: 'RS256' };
}

export async function publishTestJwks(extra: JWK[] = []): Promise<void> {
  await env.KV.put('jwks', JSON.stringify({ keys: [publicJwk(), ...extra] }));
}

export type TokenOptions = {
  sub?: string;
  clientId?: string;
  serverId?: string;
  jti?: string;
  /** Seconds relative to now (default 0). */
  issuedAt?: number;
  scope?: string;
  aud?: string | string[];
  iss?: string;
  expiresIn?: number;
  notBefore?: number;
  typ?: string;
  kid?: string;
  key?: JWK;
  omit?: string[];
};

export const resourceOf = (slug: string) => `${env.RUNNER_ORIGIN}/${slug}/mcp`;

async function serverIdAt(slug: string): Promise<string> {
  const row = await env.DB.prepare('SELECT id FROM servers WHERE slug = ?')
    .bind(slug)
    .first<{ id: string }>();
  return row?.id ?? 'srv_none';
}

export async function mintToken(slug: string, o: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: o.iss ?? env.ISSUER,
    sub: o.sub ?? 'usr_alice',
    aud: o.aud ?? resourceOf(slug),
    client_id: o.clientId ?? 'cl_test',
    server_id: o.serverId ?? (await serverIdAt(slug)),
    scope: o.scope ?? 'mcp:read mcp:write mcp:admin',
    jti: o.jti ?? crypto.randomUUID(),
    iat: now + (o.issuedAt ?? 0),
    exp: now + (o.expiresIn ?? 3600),
  };
  if (o.notBefore !== undefined) claims.nbf = now + o.notBefore;
  for (const k of o.omit ?? []) delete claims[k];
  const key = await importJWK(o.key ?? jwk, 'RS256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: o.typ ?? 'at+jwt', kid: o.kid ?? jwk.kid })
    .sign(key);
}
