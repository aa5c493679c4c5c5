// grant_type=client_credentials (OAuth 2.1 §4.2) for confidential machine clients. A client acts
// with its owner's access, within the org it is bound to (docs/oauth.md "Machine clients"): it
// must have been registered with an API key or a session (routes/register.ts), its owner must
// still be a member of that org and, if a key registered it, the key still active; it gets tokens
// only for that org's servers the owner may use (RFC 8707 §2: otherwise invalid_target), and
// only the scopes it asks for, or the least one when it asks for none. No refresh token
// (OAuth 2.1 §4.2.3).
import { OAuthError } from '../../../../../lib/oauth/errors';
import {
  formatScope,
  OFFLINE_ACCESS,
  parseScope,
  resolveScopes,
} from '../../../../../lib/oauth/scopes';
import {
  findMachineGrant,
  insertMachineGrantStatement,
  touchMachineGrantStatement,
} from '../../store/machine-grants';
import { machineAccess } from '../../store/machine-clients';
import { rememberAccess, rememberedAccess } from '../../store/machine-access-cache';
import { findClient, markClientUsedStatement } from '../../store/oauth-clients';
import { tokenIssuedStatement } from '../../store/client-health';
import { mayUseServer } from '../../store/server-access';
import { bufferAudit } from '../audit-buffer';
import { signAccessToken } from '../access-token';
import type { AuthenticatedClient } from '../client-auth';
import type { OAuthConfig } from '../config';
import type { Params } from '../request-params';
import { resolveResource } from '../resource-server';
import { newGrantId, newJti, type TokenResponse } from '../token-material';
import { type RequestMeta } from '../../request-meta';

/**
 * The scope of a request that names none. RFC 6749 §3.3 lets the AS apply a documented default;
 * ours is the least one — read-only — because nobody reviews a machine client's request the way
 * a user reviews a consent page (RFC 9700 §2.3: restrict privileges to the minimum).
 */
export const MACHINE_DEFAULT_SCOPE = 'mcp:read';

/** A machine grant's last token time is written at most this often (the hot path reads only). */
const RECORD_EVERY_MS = 60_000;

function grantedScopes(requested: string[], offered: readonly string[]): string[] {
  const asked = requested.filter((s) => s !== OFFLINE_ACCESS);
  if (asked.length === 0) {
    if (offered.includes(MACHINE_DEFAULT_SCOPE)) return [MACHINE_DEFAULT_SCOPE];
    throw new OAuthError(
      'invalid_scope',
      `This server has no ${MACHINE_DEFAULT_SCOPE} scope to default to: name the scopes you need.`,
    );
  }
  const decision = resolveScopes(asked, offered);
  if (!decision.ok) {
    throw new OAuthError(
      'invalid_scope',
      `The server does not offer: ${decision.unknown.join(' ')}.`,
    );
  }
  return decision.scopes;
}

export async function clientCredentialsGrant(
  env: Env,
  config: OAuthConfig,
  { client, method }: AuthenticatedClient,
  params: Params,
  meta: RequestMeta,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
): Promise<TokenResponse> {
  if (method === 'none') {
    throw new OAuthError('unauthorized_client', 'client_credentials needs a confidential client.');
  }
  const { ownerUserId, ownerOrgId } = client;
  if (!ownerUserId || !ownerOrgId) {
    // Clients registered before machine clients were bound to an org have no org: register again.
    throw new OAuthError(
      'unauthorized_client',
      'Only clients registered with an API key or a signed-in session may use client_credentials.',
    );
  }
  const requested = parseScope(params.scope);
  if (!requested) throw new OAuthError('invalid_scope', 'The scope parameter is malformed.');
  const target = await resolveResource(env.DB, config, params.resource);
  if (target.kind === 'control-plane') {
    // Machines reach /v1 with an API key; a control-plane token always acts as a user.
    throw new OAuthError('invalid_target', 'Use an API key for machine access to the Moat API.');
  }
  const { server } = target;
  if (server.orgId !== ownerOrgId) {
    throw new OAuthError(
      'invalid_target',
      'This client belongs to another organization: it gets tokens only for its own servers.',
    );
  }
  // A decision this isolate read less than 5 s ago, or a fresh read; the token's iat is when it
  // was read (store/machine-access-cache.ts says why revocation still holds).
  let decision = rememberedAccess(client.id, server.id);
  if (!decision) {
    const readAt = Date.now();
    const read = await machineAccess(
      env.DB,
      { id: client.id, ownerOrgId, ownerUserId, ownerApiKeyId: client.ownerApiKeyId },
      server.id,
    );
    decision = { access: read, readAt };
  }
  const { access } = decision;
  if (!access.ownerRole || !access.keyLive) {
    throw new OAuthError(
      'unauthorized_client',
      'The account or API key that registered this client no longer has access to its organization.',
    );
  }
  // The visibility rule with the owner's role as read above (docs/oauth.md "Who may use a server").
  const mayUse = access.server && mayUseServer(access.server, ownerUserId, access.ownerRole);
  if (!mayUse) throw new OAuthError('invalid_target', 'This client may not access that server.');
  const revoked = () =>
    new OAuthError('invalid_target', 'This client’s access to that server was revoked.');
  if (access.grant?.revokedAt != null) throw revoked();
  const scope = formatScope(grantedScopes(requested, target.offeredScopes));

  const now = Date.now();
  const health = {
    serverId: server.id,
    clientId: client.id,
    event: 'client_credentials',
  } as const;
  let grant = access.grant;
  if (!grant) {
    // The client may come from the isolate's short copy: a new grant is made only for a client
    // that still exists in D1 (docs/decisions.md 2026-12-03 "Token endpoint caches").
    if (!(await findClient(env.DB, client.id, now))) {
      throw new OAuthError('invalid_client', 'Unknown client.');
    }
    await env.DB.batch([
      insertMachineGrantStatement(env.DB, {
        id: newGrantId(),
        clientId: client.id,
        serverId: server.id,
        resource: target.canonical,
        scope,
        createdAt: now,
      }),
      markClientUsedStatement(env.DB, client.id, now),
      tokenIssuedStatement(env.DB, { ...health, now }),
    ]);
    // A concurrent first request may have inserted it: read back the one that exists.
    grant = await findMachineGrant(env.DB, client.id, server.id);
    if (!grant) throw new OAuthError('server_error', 'The grant could not be recorded.');
    if (grant.revokedAt !== null) throw revoked();
  } else {
    // Only an allowing decision with a live grant is kept; refusals and first grants re-read.
    rememberAccess(client.id, server.id, decision);
  }
  if (
    grant === access.grant &&
    (grant.lastTokenAt === null || now - grant.lastTokenAt >= RECORD_EVERY_MS)
  ) {
    // At most one write per client and server a minute, after the response (the kept decision
    // carries the new time, so its next uses do not write again).
    grant.lastTokenAt = now;
    ctx.waitUntil(
      env.DB.batch([
        touchMachineGrantStatement(env.DB, grant.id, scope, now),
        markClientUsedStatement(env.DB, client.id, now),
        tokenIssuedStatement(env.DB, { ...health, now }),
      ]).catch((err: unknown) => {
        console.error('machine grant touch failed', { name: (err as Error).name });
      }),
    );
  }

  const jti = newJti(grant.id);
  const token = await signAccessToken(
    env,
    config,
    {
      sub: client.id,
      aud: target.canonical,
      client_id: client.id,
      server_id: server.id,
      scope,
      jti,
    },
    grant === access.grant ? decision.readAt : undefined,
  );
  bufferAudit(
    ctx,
    env.DB,
    {
      orgId: server.orgId,
      actor: client.id,
      action: 'oauth.token.issued',
      resource: server.id,
      ...meta,
      metadata: {
        grant_type: 'client_credentials',
        client_id: client.id,
        grant_id: grant.id,
        jti,
        scope,
        kid: token.kid,
      },
    },
    now,
  );
  return { access_token: token.token, token_type: 'Bearer', expires_in: token.expiresIn, scope };
}
