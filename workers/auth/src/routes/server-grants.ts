// /v1/servers/:id/grants: every live OAuth grant to one server across all users and machine
// clients (the server page's connected clients) and their revocation by the org's owners and
// admins. Revoking kills the refresh family at once (OAuth 2.1 §4.3.1: the refresh token is bound
// to the grant) and forgets that user's consent; a machine client's grant stays revoked, so it
// gets no more tokens for this server (docs/oauth.md "Machine clients"). Issued access tokens
// stop at the runner through a `{grantId}` rule.
import { Hono } from 'hono';
import { ApiError } from '../../../../lib/http/api-error';
import type { AppEnv } from '../app-env';
import { principalOf, requireUser } from '../middleware/session';
import { oauthConfig, revocationTtlMs } from '../oauth/config';
import { firstPartyClient } from '../oauth/first-party';
import { requestMeta } from '../oauth/token-material';
import { deleteConsentStatement } from '../store/consents';
import { listServerGrants } from '../store/grant-listings';
import { findGrant, revokeGrantStatements } from '../store/grants';
import { auditStatement } from '../store/audit';
import { ownAnyServer, requireWriter } from './server-access';

/** A CIMD client id is its metadata document's https URL; its host is what the owner vouches for. */
function cimdDomain(clientId: string): string | null {
  try {
    return new URL(clientId).hostname;
  } catch {
    return null;
  }
}

export const serverGrants = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => {
    const server = await ownAnyServer(c, c.req.param('id')!);
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
  })
  .delete('/:grantId', async (c) => {
    const p = principalOf(c);
    const server = await ownAnyServer(c, c.req.param('id')!);
    requireWriter(p);
    const grant = await findGrant(c.env.DB, c.req.param('grantId'));
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
        ? [deleteConsentStatement(c.env.DB, grant.userId, grant.clientId, grant.serverId)]
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
  });
