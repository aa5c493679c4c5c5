// The refresh request to a connection's provider, through the shared client in lib/connections
// (RFC 6749 §6; endpoints from the spec or the issuer's RFC 8414 / OIDC Discovery metadata). Its
// outbound rule is the tools' egress guard minus the allowlist: the provider's host is allowed
// because the owner declared it in `connections`, but private and loopback addresses are refused
// (unless ALLOW_PRIVATE_EGRESS), TLS is required and redirects are not followed (RFC 6749 §3.2).
import { ProviderError } from '../../../../lib/connections/provider-fetch';
import { providerEndpoints } from '../../../../lib/connections/provider-metadata';
import {
  refreshTokens,
  TokenEndpointError,
  type TokenResponse,
} from '../../../../lib/connections/token-endpoint';
import type { Connection } from '../../../../lib/spec/connections';

export type RefreshAnswer =
  | { ok: true; tokens: TokenResponse }
  /** `invalid_grant`: the refresh token is dead; the user must link again (RFC 6749 §5.2). */
  | { ok: false; kind: 'invalid_grant'; reason: string }
  /** Anything else (unreachable, 5xx, malformed): try again later, the link may still be good. */
  | { ok: false; kind: 'unavailable'; reason: string };

export async function refreshAtProvider(
  connection: Connection,
  refreshToken: string,
  clientSecret: string | undefined,
  opts: { allowPrivate: boolean },
): Promise<RefreshAnswer> {
  try {
    const { tokenUrl } = await providerEndpoints(connection, opts);
    const client = { clientId: connection.clientId, clientSecret };
    return { ok: true, tokens: await refreshTokens(tokenUrl, client, refreshToken, opts) };
  } catch (err) {
    if (err instanceof TokenEndpointError && err.error === 'invalid_grant') {
      return { ok: false, kind: 'invalid_grant', reason: 'the provider refused the refresh token' };
    }
    if (err instanceof TokenEndpointError || err instanceof ProviderError) {
      return { ok: false, kind: 'unavailable', reason: err.message };
    }
    throw err;
  }
}
