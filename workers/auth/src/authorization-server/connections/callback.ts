// GET {ISSUER}/connections/callback: the provider's authorization response (RFC 6749 §4.1.2).
// Protected like any OAuth client's redirect endpoint (RFC 9700 §2.1, §4.7): `state` is single use
// (a compare-and-set claims its flow), short-lived and bound to the signed-in user; `iss` must
// name the provider when it sends one or promised to (RFC 9207 §2.4); the code is exchanged with
// the PKCE verifier (RFC 7636 §4.5). The pair is stored sealed, then the MCP client's
// authorization continues (continue-authorization.ts), or a standalone link says "Connected".
// A failure after the flow is known also goes back to the MCP client as an RFC 6749 §4.1.2.1
// error, and never yields a code.
import type { Context } from 'hono';
import { z } from 'zod';
import { openSecret } from '../../../../../lib/crypto/envelope';
import { sha256Hex } from '../../../../../lib/crypto/hash';
import { ProviderError } from '../../../../../lib/connections/provider-fetch';
import { providerEndpoints } from '../../../../../lib/connections/provider-metadata';
import { exchangeCode, TokenEndpointError } from '../../../../../lib/connections/token-endpoint';
import { flowVerifierAad, sealTokenPair } from '../../../../../lib/connections/tokens';
import { newId } from '../../../../../lib/ids';
import {
  authorizationResponseUrl,
  AuthorizeError,
  OAuthError,
} from '../../../../../lib/oauth/errors';
import type { Connection } from '../../../../../lib/spec/connections';
import type { AppEnv } from '../../app-env';
import { getSession } from '../../middleware/session';
import { renderConnected, renderConnectionFailure } from '../../pages/connection-result';
import { requestMeta } from '../../request-meta';
import { auditStatement } from '../../store/audit';
import { claimFlow } from '../../store/connection-flows';
import { openSecretValue } from '../../store/secrets';
import { findServerById } from '../../store/servers';
import { linkConnectionStatement } from '../../store/user-connections';
import { validateAuthorizationRequest, type AuthorizationRequest } from '../authorization-request';
import { oauthConfig } from '../config';
import { userMayUseResource } from '../target-access';
import { continueAuthorization } from './continue-authorization';
import { callbackUrl } from './provider-redirect';
import { findDeclaredConnection } from './server-connections';

type Ctx = Context<AppEnv>;

const ResumeSchema = z.object({
  params: z.record(z.string(), z.string()),
  consentScopes: z.array(z.string()).nullable(),
});

/** Why a link failed, as the client hears it (RFC 6749 §4.1.2.1) and as the user reads it. */
class LinkFailure extends Error {
  readonly code: 'access_denied' | 'server_error';
  readonly reason: string;
  constructor(code: 'access_denied' | 'server_error', message: string, reason: string) {
    super(message);
    this.code = code;
    this.reason = reason;
  }
}

const badLink = (c: Ctx, message: string) =>
  renderConnectionFailure(c, { heading: 'This sign-in link is not valid', message });

export async function connectionCallback(c: Ctx): Promise<Response> {
  const query = new URL(c.req.url).searchParams;
  const state = query.get('state');
  if (!state || state.length > 512) {
    return badLink(c, 'The response from the account provider carries no valid state.');
  }
  const now = Date.now();
  const found = await getSession(c);
  // Claimed before anything else, so a replay finds nothing, whoever sends it.
  const flow = await claimFlow(c.env.DB, await sha256Hex(state), now);
  if (!flow) return badLink(c, 'This sign-in response was already used, or Moat did not start it.');
  if (!found || found.user.id !== flow.userId) {
    return badLink(
      c,
      'This sign-in was started by another Moat account. Start again from the app.',
    );
  }
  if (flow.expiresAt <= now) {
    return badLink(c, 'This sign-in took too long and expired. Start again from the app.');
  }
  const config = oauthConfig(c.env);
  const meta = requestMeta(c.req.raw);
  const server = await findServerById(c.env.DB, flow.serverId);
  if (!server) return badLink(c, 'The server this account was for no longer exists.');

  // The MCP client's pending request, validated again: only then may an error go back to it.
  let req: AuthorizationRequest | undefined;
  let consentScopes: string[] | null = null;
  const resume = ResumeSchema.safeParse(flow.resume);
  if (flow.resume !== null) {
    try {
      if (!resume.success) throw new AuthorizeError('invalid_request', 'Unreadable flow.');
      req = await validateAuthorizationRequest(c.env.DB, config, resume.data.params);
      consentScopes = resume.data.consentScopes;
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      return badLink(c, 'The app’s authorization request is no longer valid. Start again.');
    }
  }

  const audit = { orgId: server.orgId, actor: flow.userId, resource: server.id, ...meta };
  let connection: Connection | undefined;
  try {
    if (req && !(await userMayUseResource(c.env.DB, req.resource, flow.userId))) {
      throw new LinkFailure('access_denied', 'Your account no longer has access.', 'no_access');
    }
    connection = await findDeclaredConnection(c.env.DB, flow.serverId, flow.name);
    if (!connection) {
      throw new LinkFailure('server_error', 'The server no longer has this connection.', 'gone');
    }
    await link(c, { flow, connection, query, now, audit });
  } catch (err) {
    if (!(err instanceof LinkFailure)) throw err;
    await auditStatement(c.env.DB, {
      ...audit,
      action: 'connection.link_failed',
      metadata: { connection: flow.name, reason: err.reason, ...(req && clientOf(req)) },
    }).run();
    return renderConnectionFailure(c, {
      heading: `${connection?.title ?? 'The account'} was not connected`,
      message: err.message,
      code: err.code,
      returnUrl: req
        ? authorizationResponseUrl(req.target, {
            error: err.code,
            error_description: err.message,
          })
        : undefined,
    });
  }
  if (!req) return renderConnected(c, { title: connection.title, serverName: server.name });
  try {
    const next = await continueAuthorization(
      c.env.DB,
      c.env,
      config,
      req,
      found.user,
      meta,
      consentScopes ? { scopes: consentScopes } : undefined,
    );
    return c.redirect(next, 302);
  } catch (err) {
    if (!(err instanceof AuthorizeError)) throw err;
    const url = err.redirectUrl({ signedIn: true });
    return url ? c.redirect(url, 302) : badLink(c, err.message);
  }
}

const clientOf = (req: AuthorizationRequest) => ({ client_id: req.client.id });

async function link(
  c: Ctx,
  ctx: {
    flow: NonNullable<Awaited<ReturnType<typeof claimFlow>>>;
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
