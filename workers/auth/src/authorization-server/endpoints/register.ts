// Dynamic Client Registration (RFC 7591). Anyone may register a public or confidential client
// (MCP clients register on first contact); per-IP rate limited; registrations never used expire.
// With an API key or session (RFC 7591 §3 "initial access token") the client is owned by that
// account and bound to the org it acts in — and, with a key, to that key, so revoking the key
// revokes the client — never expires unused, and may use client_credentials on that org's
// servers (docs/oauth.md "Machine clients"). A control-plane OAuth token is no initial access
// token: a credential it could mint would outlive the grant that revoking it is meant to end.
import type { Context, MiddlewareHandler } from 'hono';
import type { OAuthClient } from '../../../../../lib/db/schema';
import { parseClientMetadata } from '../../../../../lib/oauth/client-metadata';
import { ApiError } from '../../../../../lib/http/api-error';
import { OAuthError } from '../../../../../lib/oauth/errors';
import type { AppEnv } from '../../app-env';
import { loadPrincipal } from '../../middleware/session';
import { oauthConfig } from '../config';
import { hashSecret, newClientId, newClientSecret } from '../token-material';
import { auditStatement } from '../../store/audit';
import { deleteStaleCodes } from '../../store/auth-codes';
import { deleteExpiredClients, insertClientStatement } from '../../store/oauth-clients';
import { hit } from '../../store/rate-limits';
import { clientNetwork } from '../../../../../lib/net/ip-address';
import { requestMeta } from '../../request-meta';

type Ctx = Context<AppEnv>;

const MAX_BODY = 32 * 1024;

/**
 * The caller behind an initial access token (RFC 7591 §3): an API key, a session, or none. A
 * bearer that is no valid credential is refused in this endpoint's own error shape, as RFC 6750
 * §3.1 `invalid_token`, never with the control plane's.
 */
export const registrationPrincipal: MiddlewareHandler<AppEnv> = async (c, next) => {
  try {
    await loadPrincipal(c, async () => {});
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    throw new OAuthError('invalid_token', 'The initial access token is invalid or revoked.', {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    });
  }
  await next();
};

export async function register(c: Ctx): Promise<Response> {
  const config = oauthConfig(c.env);
  const meta = requestMeta(c.req.raw);
  // Per client network (an IPv6 client holds a whole /64), like the sign-in throttle.
  const limit = await hit(c.env.DB, `dcr:${clientNetwork(meta.ip)}`, {
    limit: config.registrationsPerIpPerHour,
    windowMs: 3_600_000,
  });
  if (!limit.allowed) {
    throw new OAuthError('too_many_requests', 'Too many registrations from this address.', {
      headers: { 'retry-after': String(limit.retryAfterSeconds) },
    });
  }
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new OAuthError(
      'invalid_client_metadata',
      'Send the client metadata as application/json.',
    );
  }
  const text = await c.req.text();
  if (text.length > MAX_BODY) {
    throw new OAuthError('invalid_client_metadata', 'The client metadata is too large.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new OAuthError('invalid_client_metadata', 'The body is not valid JSON.');
  }
  const metadata = parseClientMetadata(raw);
  const principal = c.var.principal;
  const owner = principal?.kind === 'oauth' ? undefined : principal;
  if (metadata.grant_types.includes('client_credentials') && !owner) {
    throw new OAuthError(
      'invalid_client_metadata',
      principal
        ? 'client_credentials clients are registered from a signed-in session or with an API key, not with an OAuth access token.'
        : 'client_credentials clients must be registered with an API key (Authorization: Bearer moat_sk_…).',
    );
  }

  const now = Date.now();
  const id = newClientId();
  const secret = metadata.token_endpoint_auth_method === 'none' ? undefined : newClientSecret();
  const client: OAuthClient = {
    id,
    kind: 'dcr',
    name: metadata.client_name ?? null,
    metadata: { ...metadata },
    redirectUris: metadata.redirect_uris ?? [],
    tokenEndpointAuthMethod: metadata.token_endpoint_auth_method,
    grantTypes: metadata.grant_types,
    secretHash: secret ? await hashSecret(secret) : null,
    ownerUserId: owner?.user.id ?? null,
    ownerOrgId: owner?.orgId ?? null,
    ownerApiKeyId: owner?.kind === 'api_key' ? owner.apiKeyId : null,
    createdAt: now,
    lastUsedAt: null,
    expiresAt: owner ? null : now + config.unusedClientTtlSeconds * 1000,
    fetchedAt: null,
  };
  await c.env.DB.batch([
    insertClientStatement(c.env.DB, client),
    auditStatement(c.env.DB, {
      now,
      orgId: owner?.orgId ?? null,
      actor: owner?.user.id ?? id,
      action: 'oauth.client.registered',
      resource: id,
      ...meta,
      metadata: {
        client_id: id,
        client_name: client.name,
        token_endpoint_auth_method: client.tokenEndpointAuthMethod,
        grant_types: client.grantTypes,
        ...(client.ownerApiKeyId ? { api_key_id: client.ownerApiKeyId } : {}),
        redirect_hosts: client.redirectUris.map((u) => new URL(u).host || new URL(u).protocol),
      },
    }),
  ]);
  // Housekeeping rides on registrations: drop registrations that expired unused and stale codes.
  c.executionCtx.waitUntil(
    Promise.all([deleteExpiredClients(c.env.DB, now), deleteStaleCodes(c.env.DB, now)]).catch(
      () => undefined,
    ),
  );
  // RFC 7591 §3.2.1: the registered metadata, the client_id and, once, the secret.
  return c.json(
    {
      ...metadata,
      client_id: id,
      client_id_issued_at: Math.floor(now / 1000),
      ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
    },
    201,
    { 'cache-control': 'no-store', pragma: 'no-cache' },
  );
}
