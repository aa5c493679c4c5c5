// The platform's Authorization Server as the CLI sees it: RFC 8414 metadata, and the CLI's client
// there: Moat's first-party client `moat-cli` (lib/oauth/first-party.ts), which needs no
// registration — a public native client with a loopback redirect URI whose port the AS ignores
// (RFC 8252 §7.3). Only it may obtain `moat:api`, the control-plane scope.
import { discoverAuthorizationServerMetadata } from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { MOAT_CLI_CLIENT_ID, MOAT_CLI_CLIENT_NAME } from '../../../lib/oauth/first-party.ts';
import { unreachable } from '../api.ts';
import { CliError, EXIT } from '../cli-error.ts';
import type { CredentialStore, StoredClient } from '../credentials.ts';

export const CLI_CLIENT_NAME = MOAT_CLI_CLIENT_NAME;

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

/**
 * The CLI's client at `issuer`: always the first-party one, recorded in the credentials file
 * (replacing a registration an older moat made, whose control-plane tokens the AS now refuses).
 */
export async function cliClient(
  store: CredentialStore,
  apiUrl: string,
  metadata: AuthorizationServerMetadata,
): Promise<StoredClient> {
  const info: StoredClient = { client_id: MOAT_CLI_CLIENT_ID, token_endpoint_auth_method: 'none' };
  const existing = store.get(apiUrl).client;
  if (existing?.issuer !== metadata.issuer || existing.info.client_id !== MOAT_CLI_CLIENT_ID) {
    await store.update(apiUrl, (e) => ({ ...e, client: { issuer: metadata.issuer, info } }));
  }
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
