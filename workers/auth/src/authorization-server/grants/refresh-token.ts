// grant_type=refresh_token (OAuth 2.1 §4.3, RFC 9700 §4.14.2). Every use rotates the token. The
// rotation is a compare-and-set on the old token in one D1 batch with the new token and the audit
// event, so concurrent refreshes with one token leave exactly one live successor. Two round trips:
// one read (token, successor, grant, server, role) and that batch. Presenting a
// rotated or revoked token again is reuse and revokes the whole family, except inside the short
// grace window for a lost response (docs/oauth.md "Refresh tokens").
import type { Grant, RefreshToken } from '../../../../../lib/db/schema';
import { OAuthError } from '../../../../../lib/oauth/errors';
import { formatScope, isSubset, parseScope } from '../../../../../lib/oauth/scopes';
import { revokeGrantStatements, touchGrantStatement } from '../../store/grants';
import {
  findRefreshContext,
  insertRefreshStatement,
  refreshStateOf,
  refreshStateStatement,
  reRotateStatements,
  rotateRefreshStatement,
  rotatedGuard,
} from '../../store/refresh-tokens';
import { auditStatement } from '../../store/audit';
import { tokenIssuedStatement } from '../../store/client-health';
import { findResource, resourceOrgId, type Resource } from '../resource';
import { canonicalTarget } from '../resource-server';
import { signAccessToken } from '../access-token';
import type { AuthenticatedClient } from '../client-auth';
import { revocationTtlMs, type OAuthConfig } from '../config';
import type { Params } from '../request-params';
import { mayUseResource } from '../target-access';
import { assertToolsetServed } from '../toolset-target';
import { hashSecret, newJti, newRefreshToken, type TokenResponse } from '../token-material';
import { type RequestMeta } from '../../request-meta';

const invalidGrant = (why: string) => new OAuthError('invalid_grant', why);

export async function refreshTokenGrant(
  env: Env,
  config: OAuthConfig,
  { client }: AuthenticatedClient,
  params: Params,
  meta: RequestMeta,
): Promise<TokenResponse> {
  const db = env.DB;
  if (!params.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required.');
  const oldHash = await hashSecret(params.refresh_token);
  const found = await findRefreshContext(db, oldHash);
  if (!found || found.token.clientId !== client.id) {
    throw invalidGrant('The refresh token is invalid.');
  }
  let { token, successorUnused } = found;
  const { grant } = found;
  const now = Date.now();
  if (!grant || grant.revokedAt !== null || (grant.expiresAt !== null && grant.expiresAt <= now)) {
    throw invalidGrant('The refresh token was revoked or has expired.');
  }
  // The join finds a hosted server; the control plane has no servers row (resource.ts).
  const resource: Resource | undefined = found.server
    ? { kind: 'hosted', server: found.server }
    : await findResource(db, grant.serverId);
  const ctx = {
    db,
    grant,
    orgId: resource ? resourceOrgId(resource) : null,
    meta,
    now,
    ttlMs: revocationTtlMs(config),
  };

  let scope = grant.scope;
  if (params.scope !== undefined) {
    // RFC 6749 §6: a refresh may narrow the scope, never widen it.
    const asked = parseScope(params.scope);
    if (!asked || !isSubset(asked, grant.scope.split(' '))) {
      throw new OAuthError('invalid_scope', 'A refresh cannot add scopes to the grant.');
    }
    scope = formatScope(asked);
  }
  if (params.resource !== undefined) {
    if (canonicalTarget(params.resource, config) !== grant.resource) {
      throw new OAuthError('invalid_target', 'The resource differs from the grant.');
    }
  }
  // Access follows the user's current membership and role, read with the token (no cache).
  if (!resource || grant.userId === null || !mayUseResource(resource, grant.userId, found.role)) {
    await revokeFamily(ctx, 'access_lost');
    throw invalidGrant('The user no longer has access to this server.');
  }

  for (let attempt = 0; attempt < 2; attempt++) {
    if (token.revokedAt !== null) {
      await revokeFamily(ctx, 'refresh_reuse');
      throw invalidGrant('The refresh token was revoked.');
    }
    if (token.usedAt === null && token.idleExpiresAt <= now) {
      throw invalidGrant('The refresh token has expired.');
    }
    const graceful = inGrace(token, successorUnused, config, now);
    if (token.usedAt !== null && !graceful) {
      await revokeFamily(ctx, 'refresh_reuse');
      throw invalidGrant('The refresh token was already used; the grant is revoked.');
    }
    // After the reuse checks, so a replayed token still revokes its family.
    if (resource.kind === 'hosted') await assertToolsetServed(db, resource.server, grant.resource);

    const jti = newJti(grant.id);
    const access = await signAccessToken(env, config, {
      sub: grant.userId,
      aud: grant.resource,
      client_id: client.id,
      server_id: grant.serverId,
      scope,
      jti,
    });
    const next = newRefreshToken();
    const newHash = await hashSecret(next);
    const guard = rotatedGuard(oldHash, newHash);
    const swap = graceful
      ? reRotateStatements(db, oldHash, token.replacedBy!, newHash, now)
      : [rotateRefreshStatement(db, oldHash, newHash, now)];
    const results = await db.batch([
      ...swap,
      insertRefreshStatement(
        db,
        {
          tokenHash: newHash,
          grantId: grant.id,
          clientId: client.id,
          createdAt: now,
          idleExpiresAt: now + config.refreshIdleTtlSeconds * 1000,
        },
        guard,
      ),
      touchGrantStatement(db, grant.id, now, guard),
      auditStatement(
        db,
        {
          now,
          orgId: ctx.orgId,
          actor: grant.userId,
          action: 'oauth.token.refreshed',
          resource: grant.serverId,
          ...meta,
          metadata: { client_id: client.id, jti, grant_id: grant.id, scope, grace: graceful },
        },
        guard,
      ),
      tokenIssuedStatement(
        db,
        { serverId: grant.serverId, clientId: client.id, event: 'refresh_token', now },
        guard,
      ),
      refreshStateStatement(db, oldHash),
    ]);
    if (results[0]?.meta.changes === 1) {
      return {
        access_token: access.token,
        token_type: 'Bearer',
        expires_in: access.expiresIn,
        refresh_token: next,
        scope,
      };
    }
    // A concurrent request rotated it first; the batch's last statement read what it left (now
    // this is a reuse or a grace retry), so looking again costs no round trip.
    const again = refreshStateOf(results.at(-1));
    if (!again) throw invalidGrant('The refresh token is invalid.');
    ({ token, successorUnused } = again);
  }
  throw invalidGrant('The refresh token was rotated by a concurrent request.');
}

/**
 * Reused within the grace window while its successor was never used. (A successor revoked by an
 * earlier grace retry counts as unused; a revoked grant fails the compare-and-set anyway.) The
 * successor's state comes with the token's read (findRefreshContext, refreshStateStatement).
 */
function inGrace(
  token: RefreshToken,
  successorUnused: boolean,
  config: OAuthConfig,
  now: number,
): boolean {
  if (token.usedAt === null || token.replacedBy === null) return false;
  if (now - token.usedAt > config.refreshReuseGraceSeconds * 1000) return false;
  return successorUnused;
}

async function revokeFamily(
  ctx: {
    db: D1Database;
    grant: Grant;
    orgId: string | null;
    meta: RequestMeta;
    now: number;
    ttlMs: number;
  },
  reason: 'refresh_reuse' | 'access_lost',
): Promise<void> {
  const { db, grant, now } = ctx;
  await db.batch([
    ...revokeGrantStatements(db, grant.id, reason, now, ctx.ttlMs),
    auditStatement(db, {
      now,
      orgId: ctx.orgId,
      actor: grant.userId,
      action: reason === 'refresh_reuse' ? 'oauth.refresh.reuse_detected' : 'oauth.grant.revoked',
      resource: grant.serverId,
      ...ctx.meta,
      metadata: { reason, grant_id: grant.id, client_id: grant.clientId },
    }),
  ]);
}
