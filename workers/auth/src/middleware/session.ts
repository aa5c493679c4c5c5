// Who is calling: a session cookie (browser) or `Authorization: Bearer moat_sk_…` (API key).
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { User } from '../../../../lib/db/schema';
import { ApiError } from '../../../../lib/http/api-error';
import type { AppEnv, Principal } from '../app-env';
import { oauthConfig } from '../authorization-server/config';
import { verifyControlPlaneToken } from '../authorization-server/control-plane';
import { authenticateApiKey } from '../store/api-keys';
import { resolveMembership } from '../store/orgs';
import { findSession, SESSION_TTL_MS } from '../store/sessions';

type Ctx = Context<AppEnv>;

/** `__Host-` needs Secure, which needs https; plain-http localhost gets the bare name. */
export function isSecureOrigin(env: Env): boolean {
  return env.ISSUER.startsWith('https://');
}
export const sessionCookieName = (env: Env): string =>
  isSecureOrigin(env) ? '__Host-moat_session' : 'moat_session';
export const csrfCookieName = (env: Env): string =>
  isSecureOrigin(env) ? '__Host-moat_csrf' : 'moat_csrf';

function cookieOptions(env: Env, httpOnly: boolean, maxAgeMs: number): CookieOptions {
  const secure = isSecureOrigin(env);
  return {
    path: '/',
    httpOnly,
    secure,
    sameSite: 'Lax',
    maxAge: Math.floor(maxAgeMs / 1000),
  };
}

/** Sets the session cookie and the JS-readable CSRF cookie that goes with it. */
export function setSessionCookies(c: Ctx, cookieValue: string, csrfToken: string): void {
  setCookie(c, sessionCookieName(c.env), cookieValue, cookieOptions(c.env, true, SESSION_TTL_MS));
  setCsrfCookie(c, csrfToken, SESSION_TTL_MS);
}

/** The CSRF cookie is readable by the dashboard's JS on purpose (it echoes it in x-csrf-token). */
export function setCsrfCookie(c: Ctx, token: string, maxAgeMs = SESSION_TTL_MS): void {
  setCookie(c, csrfCookieName(c.env), token, cookieOptions(c.env, false, maxAgeMs));
}

export function clearSessionCookies(c: Ctx): void {
  const opts = { path: '/', secure: isSecureOrigin(c.env) };
  deleteCookie(c, sessionCookieName(c.env), opts);
  deleteCookie(c, csrfCookieName(c.env), opts);
}

async function sessionPrincipal(c: Ctx): Promise<Principal | undefined> {
  const value = getCookie(c, sessionCookieName(c.env));
  if (!value || value.length > 128) return undefined;
  const found = await findSession(c.env.DB, value);
  if (!found) return undefined;
  const membership = await resolveMembership(
    c.env.DB,
    found.user.id,
    c.req.header('x-moat-org') ?? undefined,
  );
  if (!membership) return undefined;
  return { kind: 'session', user: found.user, session: found.session, ...membership };
}

/**
 * Sets `c.var.principal` when the request is authenticated; never refuses by itself, except that
 * a present but invalid `Authorization` header is a 401 (no silent fallback to the cookie).
 * A bearer is an API key (`moat_sk_…`) or an OAuth access token for `{ISSUER}/v1` (`moat login`),
 * which acts as its user in their default org (oauth/control-plane.ts).
 */
export const loadPrincipal: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = c.req.header('authorization');
  if (auth !== undefined) {
    const bearer = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(auth.trim())?.[1];
    if (bearer !== undefined && !bearer.startsWith('moat_sk_')) {
      c.set('principal', await oauthPrincipal(c, bearer));
      return next();
    }
    const match = bearer !== undefined ? /^moat_sk_[a-z2-7]{52}$/.exec(bearer) : null;
    const found = match ? await authenticateApiKey(c.env.DB, match[0]) : undefined;
    if (!found) {
      throw new ApiError(401, 'invalid_api_key', 'The API key is invalid or revoked.', {
        headers: { 'www-authenticate': 'Bearer realm="moat"' },
      });
    }
    const membership = await resolveMembership(c.env.DB, found.user.id, found.orgId);
    if (!membership || membership.orgId !== found.orgId) {
      throw new ApiError(401, 'invalid_api_key', 'The API key is invalid or revoked.');
    }
    c.set('principal', {
      kind: 'api_key',
      user: found.user,
      apiKeyId: found.apiKeyId,
      ...membership,
    });
  } else {
    const principal = await sessionPrincipal(c);
    if (principal) c.set('principal', principal);
  }
  await next();
};

/** RFC 6750 §3.1: a bad access token is a 401 `invalid_token` challenge. */
async function oauthPrincipal(c: Ctx, token: string): Promise<Principal> {
  const caller = await verifyControlPlaneToken(c.env, oauthConfig(c.env), token);
  const membership = caller && (await resolveMembership(c.env.DB, caller.user.id));
  if (!caller || !membership) {
    throw new ApiError(
      401,
      'invalid_token',
      'The access token is invalid, expired or not for this API.',
      {
        headers: { 'www-authenticate': 'Bearer realm="moat", error="invalid_token"' },
      },
    );
  }
  return {
    kind: 'oauth',
    user: caller.user,
    clientId: caller.clientId,
    jti: caller.jti,
    ...membership,
  };
}

/** 401 `unauthenticated` unless loadPrincipal found a principal. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.principal) {
    throw new ApiError(
      401,
      'unauthenticated',
      'Sign in or send an API key (Authorization: Bearer moat_sk_…).',
      {
        headers: { 'www-authenticate': 'Bearer realm="moat"' },
      },
    );
  }
  await next();
};

/** The principal, for handlers behind requireUser. */
export function principalOf(c: Ctx): Principal {
  const p = c.var.principal;
  if (!p) throw new ApiError(401, 'unauthenticated', 'Sign in first.');
  return p;
}

/**
 * For pages (/login, /authorize, /consent): the user signed in by session cookie, or undefined.
 * API keys never count here: a page acts for a browser.
 */
export async function getSessionUser(c: Ctx): Promise<User | undefined> {
  const p = c.var.principal;
  if (p) return p.kind === 'session' ? p.user : undefined;
  const value = getCookie(c, sessionCookieName(c.env));
  if (!value || value.length > 128) return undefined;
  return (await findSession(c.env.DB, value))?.user;
}

/** The session behind the request's cookie (pages need its CSRF token), or undefined. */
export async function getSession(c: Ctx) {
  const p = c.var.principal;
  if (p?.kind === 'session') return { session: p.session, user: p.user };
  const value = getCookie(c, sessionCookieName(c.env));
  if (!value || value.length > 128) return undefined;
  return findSession(c.env.DB, value);
}
