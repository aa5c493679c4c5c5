// Requests to a connection provider's token endpoint (RFC 6749 §4.1.3 code exchange with the PKCE
// verifier, RFC 7636 §4.5; §6 refresh) and revocation endpoint (RFC 7009 §2.1). Moat is the
// client: client_secret_basic with the server secret the connection names (§2.3.1), or a public
// client sending only `client_id` (§3.2.1). Used by the auth Worker (linking, removal) and the
// runner (refresh). Nothing here logs a token.
import { z } from 'zod';
import { ProviderError, providerRequest, type ProviderFetchOptions } from './provider-fetch';

export type ProviderClient = { clientId: string; clientSecret: string | undefined };

/** RFC 6749 §5.1. `expires_in` is recommended, not required; `scope` only when it differs. */
const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1).max(8192),
  token_type: z.string().min(1).max(64),
  expires_in: z.coerce.number().int().positive().optional(),
  refresh_token: z.string().min(1).max(8192).optional(),
  scope: z.string().max(4096).optional(),
});

export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/** The provider refused the grant (RFC 6749 §5.2): `invalid_grant` means "reconnect needed". */
export class TokenEndpointError extends Error {
  readonly code = 'token_endpoint_error';
  readonly error: string;
  constructor(error: string, message: string) {
    super(message);
    this.error = error;
  }
}

/** RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding. */
function basicAuth(client: ProviderClient & { clientSecret: string }): string {
  const enc = (s: string) => encodeURIComponent(s).replaceAll('%20', '+');
  return `Basic ${btoa(`${enc(client.clientId)}:${enc(client.clientSecret)}`)}`;
}

function clientRequest(client: ProviderClient, params: Record<string, string>): RequestInit {
  const body = new URLSearchParams(params);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (client.clientSecret !== undefined) {
    headers.authorization = basicAuth({ ...client, clientSecret: client.clientSecret });
  } else {
    body.set('client_id', client.clientId);
  }
  return { method: 'POST', headers, body: body.toString() };
}

async function tokenRequest(
  tokenUrl: string,
  client: ProviderClient,
  params: Record<string, string>,
  opts: ProviderFetchOptions,
): Promise<TokenResponse> {
  const { status, json } = await providerRequest(tokenUrl, clientRequest(client, params), opts);
  if (status !== 200) {
    const err = z.looseObject({ error: z.string().max(200) }).safeParse(json);
    if (err.success) {
      throw new TokenEndpointError(err.data.error, `the provider answered ${err.data.error}`);
    }
    throw new ProviderError(`the token endpoint answered ${status}`);
  }
  const parsed = TokenResponseSchema.safeParse(json);
  if (!parsed.success) throw new ProviderError('the token endpoint sent no usable token response');
  // RFC 6749 §7.1: Moat only knows how to send bearer tokens (RFC 6750).
  if (parsed.data.token_type.toLowerCase() !== 'bearer') {
    throw new ProviderError(`the provider issued a ${parsed.data.token_type} token, not Bearer`);
  }
  return parsed.data;
}

export function exchangeCode(
  tokenUrl: string,
  client: ProviderClient,
  grant: { code: string; redirectUri: string; codeVerifier: string },
  opts: ProviderFetchOptions,
): Promise<TokenResponse> {
  return tokenRequest(
    tokenUrl,
    client,
    {
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: grant.redirectUri,
      code_verifier: grant.codeVerifier,
    },
    opts,
  );
}

/** RFC 6749 §6. A response without `refresh_token` means the old one stays valid (§5.1). */
export function refreshTokens(
  tokenUrl: string,
  client: ProviderClient,
  refreshToken: string,
  opts: ProviderFetchOptions,
): Promise<TokenResponse> {
  return tokenRequest(
    tokenUrl,
    client,
    { grant_type: 'refresh_token', refresh_token: refreshToken },
    opts,
  );
}

/** RFC 7009 §2.1–2.2: 200 means revoked (or already invalid). Answers whether it was accepted. */
export async function revokeToken(
  revocationUrl: string,
  client: ProviderClient,
  token: { value: string; hint: 'refresh_token' | 'access_token' },
  opts: ProviderFetchOptions,
): Promise<boolean> {
  const { status } = await providerRequest(
    revocationUrl,
    clientRequest(client, { token: token.value, token_type_hint: token.hint }),
    opts,
  );
  return status === 200;
}
