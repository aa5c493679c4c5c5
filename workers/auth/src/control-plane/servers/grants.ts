// /v1/servers/:id/grants: every live OAuth grant to one server across all users and machine
// clients (the server page's connected clients) and their revocation by the org's owners and
// admins. Revoking kills the refresh family at once (OAuth 2.1 §4.3.1: the refresh token is bound
// to the grant) and forgets that user's consent; a machine client's grant stays revoked, so it
// gets no more tokens for this server (docs/oauth.md "Machine clients"). Issued access tokens
// stop at the runner through a `{grantId}` rule.
import type { Context } from 'hono';
import { ApiError } from '../../../../../lib/http/api-error';
import type { AppEnv } from '../../app-env';
import { pathParam } from '../path-param';
import { principalOf } from '../../middleware/session';
import { oauthConfig, revocationTtlMs } from '../../authorization-server/config';
import { firstPartyClient } from '../../authorization-server/first-party';
import { deleteConsentStatement } from '../../store/consents';
import { listServerGrants } from '../../store/grant-listings';
import { findGrant, revokeGrantStatements } from '../../store/grants';
import { auditStatement } from '../../store/audit';
import { deleteServerUserConnectionsStatement } from '../../store/user-connections';
import { ownAnyServer, requireWriter } from './access';
import { requestMeta } from '../../request-meta';

type Ctx = Context<AppEnv>;

/** A CIMD client id is its metadata document's https URL; its host is what the owner vouches for. */
function cimdDomain(clientId: string): string | null {
  try {
    return new URL(clientId).hostname;
  } catch {
    return null;
  }
}

export async function list(c: Ctx): Promise<Response> {
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  requireWriter(principalOf(c));
  const grants = await listServerGrants(c.env.DB, server.id);
  return c.json(
    {
      grants: grants.map((g) => {
        const kind = g.clientKind === 'cimd' ? 'cimd' : 'dcr';
        const firstParty = firstPartyClient(g.clientId);
        return {
          id: g.id,
          client: {
            id: g.clientId,
            name: g.clientName ?? firstParty?.name ?? null,
            kind,
            // DCR clients name themselves; nothing vouches for them (docs/oauth.md).
            domain: kind === 'cimd' ? cimdDomain(g.clientId) : firstParty ? 'moat' : 'unverified',
          },
          // A grant without a user is a machine client's (client_credentials).
          grantType: g.userId ? 'authorization_code' : 'client_credentials',
          user: g.userId ? { id: g.userId, email: g.userEmail } : null,
          owner:
            !g.userId && g.clientOwnerId
              ? { id: g.clientOwnerId, email: g.clientOwnerEmail }
              : null,
          scope: g.scope,
          createdAt: g.createdAt,
          lastTokenAt: g.lastTokenAt,
          lastRefreshAt: g.lastRefreshAt,
          expiresAt: g.expiresAt,
        };
      }),
    },
    200,
    { 'cache-control': 'no-store' },
  );
}

export async function revoke(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  requireWriter(p);
  const grant = await findGrant(c.env.DB, pathParam(c, 'grantId'));
  if (!grant || grant.serverId !== server.id || grant.revokedAt !== null) {
    throw new ApiError(404, 'grant_not_found', 'No live grant with this id on this server.');
  }
  const now = Date.now();
  await c.env.DB.batch([
    ...revokeGrantStatements(
      c.env.DB,
      grant.id,
      'revoked_by_server_admin',
      now,
      revocationTtlMs(oauthConfig(c.env)),
    ),
    ...(grant.userId
      ? [
          deleteConsentStatement(c.env.DB, grant.userId, grant.clientId, grant.serverId),
          // Revoking access also drops the user's downstream tokens for the server (issue 13).
          deleteServerUserConnectionsStatement(c.env.DB, grant.serverId, grant.userId),
        ]
      : []),
    auditStatement(c.env.DB, {
      now,
      orgId: server.orgId,
      actor: p.user.id,
      action: 'oauth.grant.revoked',
      resource: server.id,
      ...requestMeta(c.req.raw),
      metadata: {
        reason: 'revoked_by_server_admin',
        grant_id: grant.id,
        client_id: grant.clientId,
        user_id: grant.userId,
      },
    }),
  ]);
  return c.body(null, 204);
}
