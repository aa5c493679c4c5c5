// The provider half of the callback (RFC 6749 §4.1.3): check `iss` (RFC 9207 §2.4) and the
// provider's answer, exchange the code with the PKCE verifier (RFC 7636 §4.5) and the client
// secret, and store the pair sealed with its audit event in one batch. Any failure is a
// LinkFailure: what the MCP client hears (RFC 6749 §4.1.2.1) and what the user reads.
import type { Context } from 'hono';
import { openSecret } from '../../../../../lib/crypto/envelope';
import { ProviderError } from '../../../../../lib/connections/provider-fetch';
import { providerEndpoints } from '../../../../../lib/connections/provider-metadata';
import { exchangeCode, TokenEndpointError } from '../../../../../lib/connections/token-endpoint';
import { flowVerifierAad, sealTokenPair } from '../../../../../lib/connections/tokens';
import type { ConnectionFlow } from '../../../../../lib/db/schema';
import { newId } from '../../../../../lib/ids';
import type { Connection } from '../../../../../lib/spec/connections';
import type { AppEnv } from '../../app-env';
import { auditStatement } from '../../store/audit';
import { openSecretValue } from '../../store/secrets';
import { linkConnectionStatement } from '../../store/user-connections';
import { oauthConfig } from '../config';
import { callbackUrl } from './provider-redirect';

/** Why a link failed, as the client hears it (RFC 6749 §4.1.2.1) and as the user reads it. */
export class LinkFailure extends Error {
  readonly code: 'access_denied' | 'server_error';
  readonly reason: string;
  constructor(code: 'access_denied' | 'server_error', message: string, reason: string) {
    super(message);
    this.code = code;
    this.reason = reason;
  }
}

export async function linkConnection(
  c: Context<AppEnv>,
  ctx: {
    flow: ConnectionFlow;
    connection: Connection;
    query: URLSearchParams;
    now: number;
    audit: { orgId: string; actor: string; resource: string };
  },
): Promise<void> {
  const { flow, connection, query } = ctx;
  const config = oauthConfig(c.env);
  const opts = { allowPrivate: config.allowPrivateEgress };
  const title = connection.title;
  const unreachable = `Moat could not complete the ${title} sign-in. Try again later.`;
  try {
    const endpoints = await providerEndpoints(connection, opts);
    // RFC 9207 §2.4: a response naming another issuer (or lacking one it promised) may come from
    // a mix-up attack; it is discarded.
    const iss = query.get('iss');
    const issBad =
      iss !== null
        ? endpoints.issuer !== undefined && iss !== endpoints.issuer
        : endpoints.issParameterSupported;
    if (issBad) {
      throw new LinkFailure(
        'server_error',
        `The response did not come from ${title}’s sign-in.`,
        'iss_mismatch',
      );
    }
    const error = query.get('error');
    if (error !== null) {
      throw new LinkFailure(
        'access_denied',
        error === 'access_denied'
          ? `You did not allow access to your ${title} account.`
          : `${title} did not complete the sign-in.`,
        `provider_${/^[a-z_]{1,40}$/.test(error) ? error : 'error'}`,
      );
    }
    const code = query.get('code');
    if (!code) throw new LinkFailure('server_error', unreachable, 'no_code');
    let clientSecret: string | undefined;
    if (connection.clientSecret) {
      clientSecret = await openSecretValue(
        c.env.DB,
        c.env.MASTER_KEY,
        flow.serverId,
        connection.clientSecret,
      );
      if (clientSecret === undefined) {
        throw new LinkFailure(
          'server_error',
          `The server’s owner has not set the ${title} client secret yet.`,
          'client_secret_missing',
        );
      }
    }
    const codeVerifier = await openSecret(
      c.env.MASTER_KEY,
      flow.codeVerifier,
      flowVerifierAad(flow.stateHash),
    );
    const tokens = await exchangeCode(
      endpoints.tokenUrl,
      { clientId: connection.clientId, clientSecret },
      { code, redirectUri: callbackUrl(config), codeVerifier },
      opts,
    );
    const key = { serverId: flow.serverId, userId: flow.userId, name: connection.name };
    const sealed = await sealTokenPair(c.env.MASTER_KEY, key, tokens);
    // RFC 6749 §5.1: no `scope` in the response means the requested scope was granted.
    const scope = tokens.scope ?? connection.scopes.join(' ');
    await c.env.DB.batch([
      linkConnectionStatement(c.env.DB, {
        id: newId('con'),
        ...key,
        scope: scope || null,
        sealed,
        accessExpiresAt: tokens.expires_in ? ctx.now + tokens.expires_in * 1000 : null,
        now: ctx.now,
      }),
      auditStatement(c.env.DB, {
        now: ctx.now,
        ...ctx.audit,
        action: 'connection.linked',
        metadata: { connection: connection.name, scope },
      }),
    ]);
  } catch (err) {
    if (err instanceof ProviderError || err instanceof TokenEndpointError) {
      console.warn('connection link failed', { connection: connection.name, reason: err.message });
      throw new LinkFailure('server_error', unreachable, err.code);
    }
    throw err;
  }
}
