// The platform's Authorization Server as the CLI sees it: RFC 8414 metadata, and the CLI's own
// client registration (RFC 7591 DCR, public client with `token_endpoint_auth_method: none`, one
// loopback redirect URI whose port the AS ignores, RFC 8252 §7.3), stored and reused.
import {
  discoverAuthorizationServerMetadata,
  registerClient,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { unreachable } from '../api.ts';
import { CliError, EXIT } from '../cli-error.ts';
import type { CredentialStore, StoredClient } from '../credentials.ts';

export const CLI_CLIENT_NAME = 'Moat CLI';

/** RFC 8414 metadata with the RFC 7009 and RFC 9207 fields the CLI reads. */
export type AsMetadata = AuthorizationServerMetadata & {
  revocation_endpoint?: string;
  authorization_response_iss_parameter_supported?: boolean;
};

export async function authorizationServer(issuer: string): Promise<AsMetadata> {
  let metadata: AsMetadata | undefined;
  try {
    metadata = await discoverAuthorizationServerMetadata(issuer);
  } catch (err) {
    if ((err as { cause?: unknown }).cause || err instanceof TypeError)
      throw unreachable(issuer, err);
    throw new CliError(`${issuer} publishes unusable OAuth metadata: ${(err as Error).message}`, {
      hint: 'Use `moat login --api-key` with an API key from the dashboard.',
      code: 'no_authorization_server',
    });
  }
  if (!metadata) {
    throw new CliError(`${issuer} has no OAuth authorization server to sign in with.`, {
      exitCode: EXIT.auth,
      hint: 'Create an API key in the dashboard (Settings → API keys) and run `moat login --api-key`.',
      code: 'no_authorization_server',
    });
  }
  // RFC 8414 §3.3: the issuer in the document must be the one we asked.
  if (metadata.issuer.replace(/\/+$/, '') !== issuer) {
    throw new CliError(`The metadata at ${issuer} names another issuer (${metadata.issuer}).`, {
      exitCode: EXIT.auth,
      hint: 'Check --api-url: it must be the platform origin.',
      code: 'issuer_mismatch',
    });
  }
  if (!metadata.code_challenge_methods_supported?.includes('S256')) {
    throw new CliError(`${issuer} does not support PKCE S256, which moat requires.`, {
      exitCode: EXIT.auth,
      code: 'pkce_unsupported',
    });
  }
  return metadata;
}

/** The CLI's registration at `issuer`, registering once (DCR) when there is none yet. */
export async function cliClient(
  store: CredentialStore,
  apiUrl: string,
  metadata: AuthorizationServerMetadata,
  redirectUri: string,
): Promise<StoredClient> {
  const existing = store.get(apiUrl).client;
  if (existing && existing.issuer === metadata.issuer) return existing.info;
  let info: StoredClient;
  try {
    info = await registerClient(metadata.issuer, {
      metadata,
      clientMetadata: {
        client_name: CLI_CLIENT_NAME,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        software_id: 'moat-cli',
      },
    });
  } catch (err) {
    throw oauthFailure(err, 'Registering the CLI with the authorization server failed');
  }
  await store.update(apiUrl, (e) => ({ ...e, client: { issuer: metadata.issuer, info } }));
  return info;
}

/** An SDK OAuth error (it carries `errorCode`) as a CliError that says what to do. */
export function oauthFailure(err: unknown, what: string): CliError {
  if (err instanceof CliError) return err;
  const code = (err as { errorCode?: string }).errorCode;
  const message = (err as Error).message;
  if (code === undefined && (err instanceof TypeError || (err as { cause?: unknown }).cause)) {
    return new CliError(`${what}: the platform is unreachable (${message}).`, {
      exitCode: EXIT.unreachable,
      hint: 'Is the platform running? Check --api-url / MOAT_API_URL.',
      code: 'unreachable',
    });
  }
  return new CliError(`${what}: ${code ? `${code} — ` : ''}${message}`, {
    exitCode: EXIT.auth,
    hint:
      code === 'invalid_grant'
        ? 'Your sign-in expired or was revoked — run `moat login` again.'
        : 'Run `moat login` again; if it persists, check the platform logs.',
    code: code ?? 'oauth_error',
  });
}
