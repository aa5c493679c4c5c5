// The redirect to a connection's provider (RFC 6749 §4.1.1 with PKCE S256, RFC 7636 §4.3): a fresh
// `state` whose hash keys a connection_flows row bound to the signed-in user and, for an MCP
// client's authorization, its pending request (`resume`); the exact redirect URI
// `{ISSUER}/connections/callback`; the connection's scopes and extra parameters.
import { sealSecret } from '../../../../../lib/crypto/envelope';
import { sha256Hex } from '../../../../../lib/crypto/hash';
import { flowVerifierAad } from '../../../../../lib/connections/tokens';
import { providerEndpoints } from '../../../../../lib/connections/provider-metadata';
import { connectionCallbackUrl } from '../../../../../lib/connections/urls';
import { randomToken } from '../../../../../lib/ids';
import { s256 } from '../../../../../lib/oauth/pkce';
import type { Connection } from '../../../../../lib/spec/connections';
import { insertFlowStatement, purgeFlowsStatement } from '../../store/connection-flows';
import type { OAuthConfig } from '../config';

/** A provider authorization must finish within this (the MCP client's own code lives 10 min). */
export const FLOW_TTL_MS = 10 * 60_000;

export const callbackUrl = (config: OAuthConfig): string => connectionCallbackUrl(config.issuer);

/** What a flow resumes after the callback: the MCP client's request, or a standalone link. */
export type FlowResume = {
  /** The authorization request's parameters (AUTHORIZE_PARAMS), validated again on return. */
  params: Record<string, string>;
  /** The scope set to remember as consent, when the user approved on the consent page. */
  consentScopes: string[] | null;
};

export async function providerRedirect(
  db: D1Database,
  env: { MASTER_KEY: string },
  config: OAuthConfig,
  flow: { userId: string; serverId: string; connection: Connection; resume: FlowResume | null },
): Promise<string> {
  const endpoints = await providerEndpoints(flow.connection, {
    allowPrivate: config.allowPrivateEgress,
  });
  const state = randomToken(32);
  const verifier = randomToken(32); // 52 chars of [a-z2-7]: RFC 7636 §4.1 unreserved, 256 bits
  const stateHash = await sha256Hex(state);
  const now = Date.now();
  await db.batch([
    purgeFlowsStatement(db, now),
    insertFlowStatement(db, {
      stateHash,
      userId: flow.userId,
      serverId: flow.serverId,
      name: flow.connection.name,
      codeVerifier: await sealSecret(env.MASTER_KEY, verifier, flowVerifierAad(stateHash)),
      resume: flow.resume,
      createdAt: now,
      expiresAt: now + FLOW_TTL_MS,
    }),
  ]);
  const url = new URL(endpoints.authorizationUrl);
  for (const [k, v] of Object.entries(flow.connection.authorizationParams ?? {})) {
    url.searchParams.set(k, v);
  }
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', flow.connection.clientId);
  url.searchParams.set('redirect_uri', callbackUrl(config));
  if (flow.connection.scopes.length > 0) {
    url.searchParams.set('scope', flow.connection.scopes.join(' '));
  }
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await s256(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}
