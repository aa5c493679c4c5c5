// The user's connected accounts (docs/connections.md, docs/api.md): GET /v1/me/connections lists
// them without a token; DELETE /v1/me/connections/:id revokes the pair at the provider when it has
// a revocation endpoint (RFC 7009 §2.1, best effort: the row goes either way) and deletes the row,
// so the runner finds no token and the user must link again.
import type { Context } from 'hono';
import { ProviderError } from '../../../../lib/connections/provider-fetch';
import { providerEndpoints } from '../../../../lib/connections/provider-metadata';
import { revokeToken, TokenEndpointError } from '../../../../lib/connections/token-endpoint';
import { openTokenPair } from '../../../../lib/connections/tokens';
import type { MyConnection } from '../../../../lib/api/connections';
import type { UserConnection } from '../../../../lib/db/schema';
import { ApiError } from '../../../../lib/http/api-error';
import type { AppEnv } from '../app-env';
import { oauthConfig } from '../authorization-server/config';
import { principalOf } from '../middleware/session';
import { requestMeta } from '../request-meta';
import { auditStatement } from '../store/audit';
import { openSecretValue } from '../store/secrets';
import { findServerById, getPublishedSpec } from '../store/servers';
import {
  deleteUserConnectionStatement,
  findUserConnection,
  listUserConnections,
} from '../store/user-connections';
import { pathParam } from './path-param';

type Ctx = Context<AppEnv>;

export async function list(c: Ctx): Promise<Response> {
  const { user } = principalOf(c);
  const rows = await listUserConnections(c.env.DB, user.id);
  const titles = new Map<string, Map<string, string>>();
  for (const serverId of new Set(rows.map((r) => r.serverId))) {
    const spec = (await getPublishedSpec(c.env.DB, serverId))?.spec;
    titles.set(serverId, new Map((spec?.connections ?? []).map((x) => [x.name, x.title])));
  }
  const connections: MyConnection[] = rows.map((r) => ({
    id: r.id,
    serverId: r.serverId,
    serverName: r.serverName,
    serverSlug: r.serverSlug,
    name: r.name,
    title: titles.get(r.serverId)?.get(r.name) ?? r.name,
    status: r.status,
    ...(r.statusReason ? { statusReason: r.statusReason } : {}),
    ...(r.scope ? { scope: r.scope } : {}),
    createdAt: r.createdAt,
    ...(r.lastUsedAt !== null ? { lastUsedAt: r.lastUsedAt } : {}),
    ...(r.lastRefreshedAt !== null ? { lastRefreshedAt: r.lastRefreshedAt } : {}),
  }));
  return c.json({ connections }, 200, { 'cache-control': 'no-store' });
}

/** RFC 7009 at the provider: the refresh token (which ends the grant, §2.1), then the access token. */
async function revokeAtProvider(c: Ctx, row: UserConnection): Promise<boolean | null> {
  const connection = (await getPublishedSpec(c.env.DB, row.serverId))?.spec.connections?.find(
    (x) => x.name === row.name,
  );
  if (!connection) return null;
  const opts = { allowPrivate: oauthConfig(c.env).allowPrivateEgress };
  try {
    const endpoints = await providerEndpoints(connection, opts);
    if (!endpoints.revocationUrl) return null;
    const clientSecret = connection.clientSecret
      ? await openSecretValue(c.env.DB, c.env.MASTER_KEY, row.serverId, connection.clientSecret)
      : undefined;
    const pair = await openTokenPair(
      c.env.MASTER_KEY,
      { serverId: row.serverId, userId: row.userId, name: row.name },
      row,
    );
    const client = { clientId: connection.clientId, clientSecret };
    let ok = true;
    if (pair.refresh_token) {
      ok = await revokeToken(
        endpoints.revocationUrl,
        client,
        { value: pair.refresh_token, hint: 'refresh_token' },
        opts,
      );
    }
    const accessOk = await revokeToken(
      endpoints.revocationUrl,
      client,
      { value: pair.access_token, hint: 'access_token' },
      opts,
    );
    return ok && accessOk;
  } catch (err) {
    if (err instanceof ProviderError || err instanceof TokenEndpointError) {
      console.warn('connection revocation failed', { connection: row.name, reason: err.message });
      return false;
    }
    // An envelope that no longer opens (master key changed) has nothing to revoke.
    if (err instanceof Error && err.name === 'OperationError') return false;
    throw err;
  }
}

export async function remove(c: Ctx): Promise<Response> {
  const { user } = principalOf(c);
  const row = await findUserConnection(c.env.DB, user.id, pathParam(c, 'id'));
  if (!row) throw new ApiError(404, 'connection_not_found', 'No connected account with this id.');
  const revoked = await revokeAtProvider(c, row);
  const server = await findServerById(c.env.DB, row.serverId);
  await c.env.DB.batch([
    deleteUserConnectionStatement(c.env.DB, user.id, row.id),
    auditStatement(c.env.DB, {
      orgId: server?.orgId ?? null,
      actor: user.id,
      action: 'connection.removed',
      resource: row.serverId,
      ...requestMeta(c.req.raw),
      metadata: { connection: row.name, connection_id: row.id, provider_revoked: revoked },
    }),
  ]);
  return c.body(null, 204);
}
