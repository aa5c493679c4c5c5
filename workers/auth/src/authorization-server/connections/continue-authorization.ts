// After consent (or a remembered one), an MCP client's authorization goes on only once every
// connection its server declares is linked for this user: the next unlinked one sends the browser
// to its provider (provider-redirect.ts), and the callback comes back here. When none is left the
// code is issued (issue-code.ts). So no code is ever issued for a grant that lacks a connection.
import type { User } from '../../../../../lib/db/schema';
import { ProviderError } from '../../../../../lib/connections/provider-fetch';
import { AuthorizeError } from '../../../../../lib/oauth/errors';
import type { RequestMeta } from '../../request-meta';
import type { AuthorizationRequest } from '../authorization-request';
import type { OAuthConfig } from '../config';
import { issueCode } from '../issue-code';
import { resourceId } from '../resource';
import { providerRedirect } from './provider-redirect';
import { unlinkedConnections } from './server-connections';

export async function continueAuthorization(
  db: D1Database,
  env: { MASTER_KEY: string },
  config: OAuthConfig,
  req: AuthorizationRequest,
  user: User,
  meta: RequestMeta,
  consent?: { scopes: string[] },
): Promise<string> {
  const [next] = await unlinkedConnections(db, req.resource, user.id);
  if (!next) return issueCode(db, config, req, user, meta, consent);
  // prompt=none promises no user interaction (OIDC Core §3.1.2.1); linking an account is one.
  if (req.prompt === 'none') {
    throw new AuthorizeError(
      'consent_required',
      `The user must link their ${next.title} account first.`,
      req.target,
    );
  }
  try {
    return await providerRedirect(db, env, config, {
      userId: user.id,
      serverId: resourceId(req.resource),
      connection: next,
      resume: { params: req.params, consentScopes: consent?.scopes ?? null },
    });
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    console.warn('connection provider unavailable', { connection: next.name, reason: err.message });
    throw new AuthorizeError(
      'server_error',
      `Moat could not reach the ${next.title} sign-in. Try again later.`,
      req.target,
    );
  }
}
