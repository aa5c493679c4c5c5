// The authorization endpoint (OAuth 2.1 §4.1.1) and the consent form's POST. Not signed in →
// /login and back to the same request. Signed in → visibility check, then a remembered consent
// (same client, server and a covering scope set) issues the code at once; otherwise the consent
// page asks. Deny → access_denied. Errors before the client and redirect URI are validated render
// a local page; later ones redirect with `error`, `state` and `iss`, but for a self-registered
// client only when the browser is signed in (RFC 9700 §4.11.2): no anonymous open redirect.
import type { Context } from 'hono';
import { timingSafeEqualString } from '../../../../../lib/crypto/hash';
import { AuthorizeError, OAuthError } from '../../../../../lib/oauth/errors';
import { isSubset } from '../../../../../lib/oauth/scopes';
import type { AppEnv } from '../../app-env';
import { getSession } from '../../middleware/session';
import { validateAuthorizationRequest, type AuthorizationRequest } from '../authorization-request';
import { oauthConfig } from '../config';
import { continueAuthorization } from '../connections/continue-authorization';
import { connectionLines } from '../connections/consent-lines';
import { bodyParams, queryParams, type Params } from '../request-params';
import { resourceId, resourceOrgId } from '../resource';
import { userMayUseResource } from '../target-access';
import { renderConsentPage } from '../../pages/consent';
import { renderAuthorizeErrorPage } from '../../pages/oauth-error';
import { findConsent } from '../../store/consents';
import { auditStatement } from '../../store/audit';
import { requestMeta } from '../../request-meta';

type Ctx = Context<AppEnv>;

async function respondError(c: Ctx, err: unknown): Promise<Response> {
  if (err instanceof AuthorizeError) {
    // Only a target trusted after sign-in needs to know who is looking (RFC 9700 §4.11.2).
    const signedIn = err.needsViewer && (await getSession(c)) !== undefined;
    const url = err.redirectUrl({ signedIn });
    return url ? c.redirect(url, 302) : renderAuthorizeErrorPage(c, err);
  }
  if (err instanceof OAuthError) {
    return renderAuthorizeErrorPage(c, new AuthorizeError(err.code, err.message));
  }
  throw err;
}

async function validate(c: Ctx, params: () => Promise<Params> | Params) {
  const config = oauthConfig(c.env);
  let p: Params;
  try {
    p = await params();
  } catch (err) {
    if (err instanceof OAuthError) throw new AuthorizeError(err.code, err.message);
    throw err;
  }
  return validateAuthorizationRequest(c.env.DB, config, p);
}

/** The signed-in user and session, after the access check (DESIGN §4, docs/oauth.md). */
async function signedIn(c: Ctx, req: AuthorizationRequest) {
  const found = await getSession(c);
  if (!found) return undefined;
  // Read afresh, not from the resource cache: visibility or membership may have just changed.
  if (!(await userMayUseResource(c.env.DB, req.resource, found.user.id))) {
    throw new AuthorizeError(
      'access_denied',
      'Your account does not have access to this server.',
      req.target,
    );
  }
  return found;
}

export async function authorize(c: Ctx): Promise<Response> {
  try {
    const req = await validate(c, () => queryParams(c.req.url));
    const found = await signedIn(c, req);
    if (!found) {
      if (req.prompt === 'none') {
        throw new AuthorizeError('login_required', 'The user is not signed in.', req.target);
      }
      const url = new URL(c.req.url);
      return c.redirect(`/login?return_to=${encodeURIComponent(url.pathname + url.search)}`, 302);
    }
    const config = oauthConfig(c.env);
    const consent = await findConsent(
      c.env.DB,
      found.user.id,
      req.client.id,
      resourceId(req.resource),
    );
    const granted = consent?.scope.split(' ').filter(Boolean) ?? [];
    if (consent && req.prompt !== 'consent' && isSubset(req.scopes, granted)) {
      return c.redirect(
        await continueAuthorization(
          c.env.DB,
          c.env,
          config,
          req,
          found.user,
          requestMeta(c.req.raw),
        ),
        302,
      );
    }
    if (req.prompt === 'none') {
      throw new AuthorizeError('consent_required', 'The user has not consented.', req.target);
    }
    return await renderConsentPage(c, {
      req,
      user: found.user,
      csrfToken: found.session.csrfToken,
      previouslyGranted: granted,
      connections: await connectionLines(
        c.env.DB,
        req.resource,
        found.user.id,
        config.allowPrivateEgress,
      ),
    });
  } catch (err) {
    return respondError(c, err);
  }
}

export async function consent(c: Ctx): Promise<Response> {
  try {
    let form: Params = {};
    const req = await validate(c, async () => (form = await bodyParams(c.req.raw)));
    const found = await signedIn(c, req);
    const origin = c.req.header('origin');
    const config = oauthConfig(c.env);
    if (
      !found ||
      !form.csrf_token ||
      !timingSafeEqualString(form.csrf_token, found.session.csrfToken) ||
      (origin !== undefined && origin !== new URL(config.issuer).origin)
    ) {
      // A forged or stale form: no redirect to the client, nothing issued.
      throw new AuthorizeError(
        'access_denied',
        'The consent form expired. Start again from the app.',
      );
    }
    const meta = requestMeta(c.req.raw);
    const serverId = resourceId(req.resource);
    if (form.decision !== 'approve') {
      await auditStatement(c.env.DB, {
        orgId: resourceOrgId(req.resource),
        actor: found.user.id,
        action: 'oauth.consent.denied',
        resource: serverId,
        ...meta,
        metadata: { client_id: req.client.id, scope: req.scope },
      }).run();
      throw new AuthorizeError('access_denied', 'The user denied the request.', req.target);
    }
    const previous = await findConsent(c.env.DB, found.user.id, req.client.id, serverId);
    const union = [
      ...new Set([...(previous?.scope.split(' ').filter(Boolean) ?? []), ...req.scopes]),
    ];
    return c.redirect(
      await continueAuthorization(c.env.DB, c.env, config, req, found.user, meta, {
        scopes: union,
      }),
      302,
    );
  } catch (err) {
    return respondError(c, err);
  }
}
