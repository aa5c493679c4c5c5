// grant_type=authorization_code (OAuth 2.1 §4.1.3). The code's bindings are checked before it is
// consumed, so a request without the right verifier cannot burn a stolen code. Consuming the code
// and creating the grant, its first refresh token and the audit events is one D1 batch, guarded
// by a compare-and-set on the code: of any number of concurrent redemptions exactly one commits.
// A second redemption revokes what the first issued (RFC 6749 §4.1.2, OAuth 2.1 §4.1.3). A code
// carries no access of its own: the user must still be allowed to use the server when it is
// redeemed, checked before and again inside the compare-and-set (a removal between the two must
// not leave a fresh grant behind).
import { OAuthError } from '../../../../../lib/oauth/errors';
import { verifyS256 } from '../../../../../lib/oauth/pkce';
import {
  codeRedeemedGuard,
  findCode,
  findCodeContext,
  redeemCodeStatement,
} from '../../store/auth-codes';
import { insertGrantStatement, revokeGrantStatements } from '../../store/grants';
import { insertRefreshStatement } from '../../store/refresh-tokens';
import { auditStatement } from '../../store/audit';
import { tokenIssuedStatement } from '../../store/client-health';
import { connectionEventStatements } from '../../store/connection-events';
import { attemptKeyOf } from '../../connection-recorder/record';
import { requesterKeyOf } from '../../../../../lib/observability/requester';
import { findResource, resourceOrgId, type Resource } from '../resource';
import { canonicalTarget } from '../resource-server';
import { signAccessToken } from '../access-token';
import type { AuthenticatedClient } from '../client-auth';
import { revocationTtlMs, type OAuthConfig } from '../config';
import { mayUseResource } from '../target-access';
import { assertToolsetServed } from '../toolset-target';
import type { Params } from '../request-params';
import {
  hashSecret,
  newGrantId,
  newJti,
  newRefreshToken,
  type TokenResponse,
} from '../token-material';
import { type RequestMeta } from '../../request-meta';

const invalidGrant = (why: string) => new OAuthError('invalid_grant', why);

export async function authorizationCodeGrant(
  env: Env,
  config: OAuthConfig,
  { client }: AuthenticatedClient,
  params: Params,
  meta: RequestMeta,
): Promise<TokenResponse> {
  const db = env.DB;
  if (!params.code) throw new OAuthError('invalid_request', 'code is required.');
  if (!params.code_verifier) throw new OAuthError('invalid_request', 'code_verifier is required.');
  if (!params.redirect_uri) throw new OAuthError('invalid_request', 'redirect_uri is required.');
  const codeHash = await hashSecret(params.code);
  // The code, its server and the user's role in one read (was three: code, server, membership).
  const found = await findCodeContext(db, codeHash);
  const code = found?.code;
  const now = Date.now();
  if (!code || code.clientId !== client.id) throw invalidGrant('The code is invalid.');
  const ttlMs = revocationTtlMs(config);
  if (code.usedAt !== null) {
    await revokeIssued(db, code.grantId, code.serverId, client.id, meta, now, ttlMs);
    throw invalidGrant('The code was already used; the tokens issued for it are revoked.');
  }
  if (code.expiresAt <= now) throw invalidGrant('The code has expired.');
  if (params.redirect_uri !== code.redirectUri) {
    throw invalidGrant('redirect_uri differs from the authorization request.');
  }
  if (params.resource !== undefined) {
    // RFC 8707 §2.2: the resource at the token endpoint must be one the grant covers.
    if (canonicalTarget(params.resource, config) !== code.resource) {
      throw new OAuthError(
        'invalid_target',
        'The resource differs from the authorization request.',
      );
    }
  }
  if (!(await verifyS256(params.code_verifier, code.codeChallenge))) {
    throw invalidGrant('The code_verifier does not match the code_challenge.');
  }

  // Access is decided afresh with the role read now (target-access.ts); the control plane has no
  // servers row (resource.ts).
  const resource: Resource | undefined = found.server
    ? { kind: 'hosted', server: found.server }
    : await findResource(db, code.serverId);
  if (!resource) throw invalidGrant('The server no longer exists.');
  if (!mayUseResource(resource, code.userId, found.role)) {
    throw invalidGrant('The user no longer has access to this server.');
  }
  if (resource.kind === 'hosted') await assertToolsetServed(db, resource.server, code.resource);
  const grantId = newGrantId();
  const jti = newJti(grantId);
  const access = await signAccessToken(env, config, {
    sub: code.userId,
    aud: code.resource,
    client_id: client.id,
    server_id: code.serverId,
    scope: code.scope,
    jti,
  });
  const wantsRefresh = client.grantTypes.includes('refresh_token');
  const refresh = wantsRefresh ? newRefreshToken() : undefined;
  const guard = codeRedeemedGuard(codeHash, grantId);
  const audit = {
    orgId: resourceOrgId(resource),
    actor: code.userId,
    resource: code.serverId,
    ...meta,
  };
  const results = await db.batch([
    // The access check again, in SQL; the control plane has no servers row to check it against.
    redeemCodeStatement(db, codeHash, grantId, now, { requireAccess: resource.kind === 'hosted' }),
    insertGrantStatement(
      db,
      {
        id: grantId,
        userId: code.userId,
        clientId: client.id,
        serverId: code.serverId,
        resource: code.resource,
        scope: code.scope,
        createdAt: now,
        expiresAt: now + config.refreshAbsoluteTtlSeconds * 1000,
        lastTokenAt: now,
        lastRefreshAt: null,
        revokedAt: null,
        revokedReason: null,
      },
      guard,
    ),
    ...(refresh
      ? [
          insertRefreshStatement(
            db,
            {
              tokenHash: await hashSecret(refresh),
              grantId,
              clientId: client.id,
              createdAt: now,
              idleExpiresAt: now + config.refreshIdleTtlSeconds * 1000,
            },
            guard,
          ),
        ]
      : []),
    auditStatement(
      db,
      {
        now,
        ...audit,
        action: 'oauth.token.issued',
        metadata: {
          grant_type: 'authorization_code',
          client_id: client.id,
          jti,
          grant_id: grantId,
          scope: code.scope,
          kid: access.kid,
          refresh_token: refresh !== undefined,
        },
      },
      guard,
    ),
    tokenIssuedStatement(
      db,
      { serverId: code.serverId, clientId: client.id, event: 'authorization_code', now },
      guard,
    ),
    // The connection recorder's "token" step (docs/observability.md), in this batch rather than a
    // write of its own after the response; a failed exchange is still recorded by recordTokenStep.
    ...connectionEventStatements(
      db,
      {
        step: 'token',
        ok: true,
        serverId: code.serverId,
        clientId: client.id,
        requester: await requesterKeyOf(meta.ip, meta.userAgent),
        // RFC 7636 §4.6: the verifier matched, so S256(code_verifier) is the stored challenge.
        attemptKey: await attemptKeyOf(client.id, code.codeChallenge),
        grantId,
        detail: {
          grantType: 'authorization_code',
          scope: code.scope,
          refreshToken: refresh !== undefined,
          expiresIn: access.expiresIn,
        },
        now,
      },
      guard,
    ),
  ]);
  if (results[0]?.meta.changes !== 1) {
    const after = await findCode(db, codeHash);
    if (after && after.usedAt === null) {
      // Still unused: the access check inside the compare-and-set failed.
      throw invalidGrant('The user no longer has access to this server.');
    }
    // Lost the race to a concurrent redemption: that is a second use of the code.
    await revokeIssued(db, after?.grantId ?? null, code.serverId, client.id, meta, now, ttlMs);
    throw invalidGrant('The code was already used; the tokens issued for it are revoked.');
  }
  return {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    ...(refresh ? { refresh_token: refresh } : {}),
    scope: code.scope,
  };
}

async function revokeIssued(
  db: D1Database,
  grantId: string | null,
  serverId: string,
  clientId: string,
  meta: RequestMeta,
  now: number,
  ttlMs: number,
): Promise<void> {
  if (!grantId) return;
  const resource = await findResource(db, serverId);
  await db.batch([
    ...revokeGrantStatements(db, grantId, 'code_reuse', now, ttlMs),
    auditStatement(db, {
      now,
      orgId: resource ? resourceOrgId(resource) : null,
      actor: clientId,
      action: 'oauth.grant.revoked',
      resource: serverId,
      ...meta,
      metadata: { reason: 'code_reuse', grant_id: grantId, client_id: clientId },
    }),
  ]);
}
