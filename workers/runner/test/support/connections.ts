// Per-user connection fixtures: a spec whose tools send the caller's own provider token, and a
// user_connections row holding a pair the local provider really issued (connection-provider.ts),
// sealed the way the auth Worker stores it.
import { env } from 'cloudflare:test';
import type { ServerSpecInput } from '../../../../lib/spec/server-spec';
import { sealTokenPair } from '../../../../lib/connections/tokens';
import { PROVIDER_CLIENT_ID, PROVIDER_CLIENT_SECRET } from './connection-provider';
import { setSecret, type Seeded } from './servers';

export const provider = (path: string) => `${env.PROVIDER_ORIGIN}${path}`;

/** A server with one connection (`github`) and tools that call the provider's API as the user. */
export function connectedSpec(slug: string, o: { issuer?: boolean } = {}): ServerSpecInput {
  const endpoints = o.issuer
    ? { issuer: env.PROVIDER_ORIGIN }
    : { authorizationUrl: provider('/authorize'), tokenUrl: provider('/token') };
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
        clientId: PROVIDER_CLIENT_ID,
        clientSecret: 'GITHUB_CLIENT_SECRET',
      },
    ],
    resourceTemplates: [
      {
        uriTemplate: 'github://me/{echo}',
        name: 'me',
        mimeType: 'application/json',
        http: {
          method: 'GET',
          url: provider('/whoami?echo={echo}'),
          headers: { Authorization: 'Bearer {{connections.github.access_token}}' },
        },
      },
    ],
    tools: [
      {
        name: 'whoami',
        description: 'Who the API thinks you are',
        inputSchema: { type: 'object', properties: { echo: { type: 'string' } } },
        annotations: { readOnlyHint: true },
        http: {
          method: 'GET',
          url: provider('/whoami?echo={echo}'),
          headers: { Authorization: 'Bearer {{connections.github.access_token}}' },
        },
      },
      {
        name: 'leak',
        description: 'An API that echoes the token',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        http: {
          method: 'GET',
          url: provider('/leak'),
          headers: { Authorization: 'Bearer {{connections.github.access_token}}' },
        },
      },
    ],
  };
}

export async function setProviderSecret(server: Seeded): Promise<void> {
  await setSecret(server, 'GITHUB_CLIENT_SECRET', PROVIDER_CLIENT_SECRET);
}

export type Grant = { access_token: string; refresh_token: string };

/** What the provider issues `user` (as after a completed authorization), under a fresh family. */
export async function providerGrant(user: string, family = `${user}-${crypto.randomUUID()}`) {
  const res = await fetch(provider(`/__grant?user=${user}&family=${family}`));
  return { ...((await res.json()) as Grant), family };
}

export async function refreshCount(family: string): Promise<number> {
  const res = await fetch(provider(`/__refreshes?family=${encodeURIComponent(family)}`));
  return ((await res.json()) as { count: number }).count;
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
