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
import { sha256Hex } from '../../../../../lib/crypto/hash';
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
import { findServerById } from '../../store/servers';
import { validateAuthorizationRequest, type AuthorizationRequest } from '../authorization-request';
import { oauthConfig } from '../config';
import { userMayUseResource } from '../target-access';
import { continueAuthorization } from './continue-authorization';
import { LinkFailure, linkConnection } from './link-connection';
import { findDeclaredConnection } from './server-connections';

type Ctx = Context<AppEnv>;

const ResumeSchema = z.object({
  params: z.record(z.string(), z.string()),
  consentScopes: z.array(z.string()).nullable(),
});

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
    await linkConnection(c, { flow, connection, query, now, audit });
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
