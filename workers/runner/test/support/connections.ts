// Per-user connection fixtures: a spec whose tools send the caller's own provider token, and a
// user_connections row holding a pair the real test provider (test/support/oauth-provider,
// oidc-provider) issued after a scripted sign-in with code + PKCE, sealed the way the auth Worker
// stores it.
import { env } from 'cloudflare:test';
import { exchangeCode } from '../../../../lib/connections/token-endpoint';
import { sealTokenPair } from '../../../../lib/connections/tokens';
import { s256 } from '../../../../lib/oauth/pkce';
import type { ServerSpecInput } from '../../../../lib/spec/server-spec';
import { loginAtProvider } from '../../../../test/support/oauth-provider/login';
import { downstream, publishServer, setSecret, uniqueSlug, type Seeded } from './servers';

const REDIRECT_URI = 'http://127.0.0.1:8787/connections/callback';
const api = (path: string) => `${env.CONN_DOWNSTREAM_ORIGIN}${path}`;
const auth = (h: string) => ({ Authorization: h });

/** A server with one connection (`github`) and tools that call the provider's API as the user. */
export function connectedSpec(
  slug: string,
  o: { issuer?: boolean; tokenUrl?: string } = {},
): ServerSpecInput {
  const issuer = env.CONN_PROVIDER_ISSUER;
  const endpoints = o.issuer
    ? { issuer }
    : { authorizationUrl: `${issuer}/auth`, tokenUrl: o.tokenUrl ?? `${issuer}/token` };
  const bearer = auth('Bearer {{connections.github.access_token}}');
  return {
    name: 'Connected',
    slug,
    secrets: [{ name: 'GITHUB_CLIENT_SECRET' }],
    egress: ['127.0.0.1'],
    connections: [
      {
        name: 'github',
        title: 'GitHub',
        ...endpoints,
        scopes: ['repo'],
        clientId: env.CONN_PROVIDER_CLIENT_ID,
        clientSecret: 'GITHUB_CLIENT_SECRET',
      },
    ],
    resourceTemplates: [
      {
        uriTemplate: 'github://me/{page}',
        name: 'me',
        mimeType: 'application/json',
        http: { method: 'GET', url: api('/me/{page}'), headers: bearer },
      },
    ],
    tools: [
      {
        name: 'whoami',
        description: 'Who the API thinks you are',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        http: { method: 'GET', url: api('/user'), headers: bearer },
      },
      {
        name: 'leak',
        description: 'An API that echoes the request headers back',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        http: { method: 'GET', url: downstream('/echo?tag=conn-leak'), headers: bearer },
      },
    ],
  };
}

export async function setProviderSecret(server: Seeded): Promise<void> {
  await setSecret(server, 'GITHUB_CLIENT_SECRET', env.CONN_PROVIDER_CLIENT_SECRET);
}

/** `connectedSpec` under a fresh slug from `base`, published with the provider's client secret. */
export async function publishConnected(
  base: string,
  o: { issuer?: boolean; tokenUrl?: string } = {},
): Promise<Seeded> {
  const server = await publishServer(connectedSpec(uniqueSlug(base), o));
  await setProviderSecret(server);
  return server;
}

/** Where a tool error sends the user to link the server's `github` connection. */
export const connectLink = (server: Seeded) =>
  `${env.ISSUER}/connections/${server.id}/github/connect`;

export type Grant = { access_token: string; refresh_token?: string };

/** `user` signs in at the provider and the code is exchanged (RFC 6749 §4.1.3, RFC 7636). */
export async function providerGrant(user: string): Promise<Grant> {
  const verifier = `${crypto.randomUUID()}-${crypto.randomUUID()}`;
  const authorize = new URL(`${env.CONN_PROVIDER_ISSUER}/auth`);
  authorize.search = new URLSearchParams({
    client_id: env.CONN_PROVIDER_CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'repo offline_access',
    prompt: 'consent',
    state: crypto.randomUUID(),
    code_challenge: await s256(verifier),
    code_challenge_method: 'S256',
  }).toString();
  const callback = new URL(await loginAtProvider(authorize.href, user));
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`provider sign-in failed: ${callback.search}`);
  return exchangeCode(
    `${env.CONN_PROVIDER_ISSUER}/token`,
    { clientId: env.CONN_PROVIDER_CLIENT_ID, clientSecret: env.CONN_PROVIDER_CLIENT_SECRET },
    { code, redirectUri: REDIRECT_URI, codeVerifier: verifier },
    { allowPrivate: true },
  );
}

type AccountStats = { refreshGrants: number; downstreamCalls: number };

/** The provider's counters for one account (its /__stats). */
export async function providerStats(user: string): Promise<AccountStats> {
  const res = await fetch(`${env.CONN_PROVIDER_ISSUER}/__stats`);
  const stats = (await res.json()) as { bySub: Record<string, AccountStats> };
  return stats.bySub[user] ?? { refreshGrants: 0, downstreamCalls: 0 };
}

/** Revokes every grant of `user` at the provider: their refresh token is then invalid_grant. */
export async function revokeAtProvider(user: string): Promise<void> {
  const res = await fetch(`${env.CONN_PROVIDER_ISSUER}/__accounts/${user}/revoke`, {
    method: 'POST',
  });
  await res.text();
}

export type LinkOptions = {
  /** ms from now; default one hour. */
  expiresIn?: number;
  status?: 'active' | 'reconnect_needed' | 'revoked';
  grant?: Grant;
};

/** Stores `user`'s linked `github` connection on `server`; returns the row id and the grant. */
export async function linkConnection(server: Seeded, user: string, o: LinkOptions = {}) {
  const grant = o.grant ?? (await providerGrant(user));
  const now = Date.now();
  await env.DB.prepare(
    `INSERT OR IGNORE INTO users (id, email, password_hash, created_at, updated_at)
     VALUES (?, ?, 'x', ?, ?)`,
  )
    .bind(user, `${user}@example.test`, now, now)
    .run();
  const sealed = await sealTokenPair(
    env.MASTER_KEY,
    { serverId: server.id, userId: user, name: 'github' },
    { access_token: grant.access_token, refresh_token: grant.refresh_token, token_type: 'Bearer' },
  );
  const id = `con_${crypto.randomUUID().replaceAll('-', '')}`;
  await env.DB.prepare(
    `INSERT INTO user_connections (id, server_id, user_id, name, status, scope, ciphertext, iv,
       wrapped_key, key_version, generation, access_expires_at, created_at, updated_at)
     VALUES (?, ?, ?, 'github', ?, 'repo', ?, ?, ?, ?, 1, ?, ?, ?)`,
  )
    .bind(
      id,
      server.id,
      user,
      o.status ?? 'active',
      sealed.ciphertext,
      sealed.iv,
      sealed.wrappedKey,
      sealed.keyVersion,
      now + (o.expiresIn ?? 3_600_000),
      now,
      now,
    )
    .run();
  return { id, grant };
}

export async function connectionRow(id: string) {
  return env.DB.prepare(
    `SELECT status, status_reason AS statusReason, generation, access_expires_at AS accessExpiresAt,
       last_used_at AS lastUsedAt FROM user_connections WHERE id = ?`,
  )
    .bind(id)
    .first<{
      status: string;
      statusReason: string | null;
      generation: number;
      accessExpiresAt: number | null;
      lastUsedAt: number | null;
    }>();
}
