// Issues an authorization code (OAuth 2.1 §4.1.2): 10 minutes, single use, stored hashed, bound to
// the client, redirect URI, PKCE challenge, resource, scope and user. The response carries
// `state` and `iss` (RFC 9207 §2). A consent given on the way is stored in the same batch.
import type { User } from '../../../../lib/db/schema';
import { authorizationResponseUrl } from '../../../../lib/oauth/errors';
import { formatScope } from '../../../../lib/oauth/scopes';
import { insertCodeStatement } from '../store/auth-codes';
import { upsertConsentStatement } from '../store/consents';
import { auditStatement } from '../store/audit';
import { markClientUsedStatement } from '../store/oauth-clients';
import type { AuthorizationRequest } from './authorization-request';
import type { OAuthConfig } from './config';
import { resourceId, resourceOrgId } from './resource';
import { hashSecret, newAuthorizationCode } from './token-material';
import { type RequestMeta } from '../request-meta';

export async function issueCode(
  db: D1Database,
  config: OAuthConfig,
  req: AuthorizationRequest,
  user: User,
  meta: RequestMeta,
  consent?: { scopes: string[] },
): Promise<string> {
  const now = Date.now();
  const code = newAuthorizationCode();
  const serverId = resourceId(req.resource);
  const audit = { orgId: resourceOrgId(req.resource), actor: user.id, resource: serverId, ...meta };
  const statements: D1PreparedStatement[] = [];
  if (consent) {
    // Remembered consent is per server (consents has one row per user, client and server): a
    // consent given for a toolset is not remembered, or it would cover the whole server's tools
    // under the same scopes. The server's own consent does cover its toolsets (authorize.ts).
    if (!(req.resource.kind === 'hosted' && req.resource.toolset)) {
      statements.push(
        upsertConsentStatement(db, {
          userId: user.id,
          clientId: req.client.id,
          serverId,
          scope: formatScope(consent.scopes),
          createdAt: now,
        }),
      );
    }
    statements.push(
      auditStatement(db, {
        now,
        ...audit,
        action: 'oauth.consent.granted',
        metadata: { client_id: req.client.id, scope: req.scope, ...toolsetOf(req) },
      }),
    );
  }
  statements.push(
    insertCodeStatement(db, {
      codeHash: await hashSecret(code),
      clientId: req.client.id,
      userId: user.id,
      serverId,
      redirectUri: req.redirectUri,
      codeChallenge: req.codeChallenge,
      resource: req.resource.canonical,
      scope: req.scope,
      createdAt: now,
      expiresAt: now + config.codeTtlSeconds * 1000,
      usedAt: null,
      grantId: null,
    }),
    markClientUsedStatement(db, req.client.id, now),
    auditStatement(db, {
      now,
      ...audit,
      action: 'oauth.code.issued',
      metadata: {
        client_id: req.client.id,
        scope: req.scope,
        remembered: !consent,
        ...toolsetOf(req),
      },
    }),
  );
  await db.batch(statements);
  return authorizationResponseUrl(req.target, { code });
}

/** Audit metadata naming the toolset a request was for, if any. */
function toolsetOf(req: AuthorizationRequest): { toolset?: string } {
  return req.resource.kind === 'hosted' && req.resource.toolset
    ? { toolset: req.resource.toolset.name }
    : {};
}
