// Connected apps: the user's live grants (GET /v1/me/grants) and their revocation
// (DELETE /v1/me/grants/:id), which revokes the refresh family at once and forgets the consent,
// so the app must ask again. Its access tokens stop at the runner within its revocation poll
// (a `{grantId}` rule, store/grants.ts); introspection reports them inactive at once.
import type { Context } from 'hono';
import { ApiError } from '../../../../lib/http/api-error';
import type { AppEnv } from '../app-env';
import { pathParam } from './path-param';
import { principalOf } from '../middleware/session';
import { CONTROL_PLANE_NAME, CONTROL_PLANE_SERVER_ID } from '../authorization-server/control-plane';
import { oauthConfig, revocationTtlMs } from '../authorization-server/config';
import { firstPartyClient } from '../authorization-server/first-party';
import { deleteConsentStatement } from '../store/consents';
import { listUserGrants } from '../store/grant-listings';
import { findGrant, revokeGrantStatements } from '../store/grants';
import { auditStatement } from '../store/audit';
import { findServerById } from '../store/servers';
import { deleteServerUserConnectionsStatement } from '../store/user-connections';
import { requestMeta } from '../request-meta';

type Ctx = Context<AppEnv>;

export async function list(c: Ctx): Promise<Response> {
  const { user } = principalOf(c);
  const grants = await listUserGrants(c.env.DB, user.id);
  return c.json(
    {
      grants: grants.map((g) => ({
        id: g.id,
        client: {
          id: g.clientId,
          name: g.clientName ?? firstPartyClient(g.clientId)?.name ?? null,
          verified: g.clientKind === 'cimd' || firstPartyClient(g.clientId) !== undefined,
        },
        server:
          g.serverId === CONTROL_PLANE_SERVER_ID
            ? { id: g.serverId, slug: null, name: CONTROL_PLANE_NAME }
            : { id: g.serverId, slug: g.serverSlug, name: g.serverName },
        resource: g.resource,
        scope: g.scope,
        createdAt: g.createdAt,
        lastTokenAt: g.lastTokenAt,
        expiresAt: g.expiresAt,
      })),
    },
    200,
    { 'cache-control': 'no-store' },
  );
}

export async function revoke(c: Ctx): Promise<Response> {
  const { user } = principalOf(c);
  const grant = await findGrant(c.env.DB, pathParam(c, 'id'));
  if (!grant || grant.userId !== user.id) {
    throw new ApiError(404, 'grant_not_found', 'No connected app with this id.');
  }
  const now = Date.now();
  const server = await findServerById(c.env.DB, grant.serverId);
  await c.env.DB.batch([
    ...revokeGrantStatements(
      c.env.DB,
      grant.id,
      'revoked_by_user',
      now,
      revocationTtlMs(oauthConfig(c.env)),
    ),
    deleteConsentStatement(c.env.DB, user.id, grant.clientId, grant.serverId),
    // Revoking access also drops the user's downstream tokens for the server (issue 13).
    deleteServerUserConnectionsStatement(c.env.DB, grant.serverId, user.id),
    auditStatement(c.env.DB, {
      now,
      orgId: server?.orgId ?? null,
      actor: user.id,
      action: 'oauth.grant.revoked',
      resource: grant.serverId,
      ...requestMeta(c.req.raw),
      metadata: { reason: 'revoked_by_user', grant_id: grant.id, client_id: grant.clientId },
    }),
  ]);
  return c.body(null, 204);
}
