// CSRF defences.
// /v1: a cookie-authenticated unsafe request must come from our own origin (`Origin` header,
// RFC 6454 §7; browsers send it on every cross-origin and every non-GET fetch) and carry the
// session's CSRF token in `x-csrf-token` (handed out in the `moat_csrf` cookie and as `csrfToken`
// in JSON). API-key requests carry no ambient credential, so they skip both checks.
// Forms (/login, /consent, …): a hidden `csrf_token` field that must match the session's token,
// or, before sign-in, the `moat_csrf` cookie (double submit), plus the same Origin check.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { timingSafeEqualString } from '../../../../lib/crypto/hash';
import { ApiError } from '../../../../lib/http/api-error';
import { randomToken } from '../../../../lib/ids';
import type { AppEnv } from '../app-env';
import { csrfCookieName, getSession, setCsrfCookie } from './session';

type Ctx = Context<AppEnv>;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Signing up or in needs no token: there is no session yet, and a JSON body forces a CORS preflight. */
const EXEMPT_PATHS = new Set(['/v1/auth/signup', '/v1/auth/login']);
const TOKEN_SHAPE = /^[a-z2-7]{20,64}$/;
const PRE_SESSION_TOKEN_TTL_MS = 2 * 3600 * 1000;

export const issuerOrigin = (env: Env): string => new URL(env.ISSUER).origin;

/** True when `Origin` is absent (same-origin GET/HEAD only reach here) or is our origin. */
function originAllowed(c: Ctx, required: boolean): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return !required;
  return origin === issuerOrigin(c.env);
}

export const csrfProtect: MiddlewareHandler<AppEnv> = async (c, next) => {
  const p = c.var.principal;
  if (SAFE_METHODS.has(c.req.method) || p?.kind !== 'session' || EXEMPT_PATHS.has(c.req.path)) {
    return next();
  }
  if (!originAllowed(c, true)) {
    throw new ApiError(
      403,
      'csrf_origin_mismatch',
      'Cookie-authenticated requests that change state must come from the Moat origin (Origin header).',
    );
  }
  const sent = c.req.header('x-csrf-token') ?? '';
  if (!timingSafeEqualString(sent, p.session.csrfToken)) {
    throw new ApiError(
      403,
      'csrf_token_invalid',
      'Missing or wrong x-csrf-token header: send the csrfToken from /v1/me (or the moat_csrf cookie).',
    );
  }
  return next();
};

/** The token to put in a form's hidden `csrf_token` field; sets the pre-session cookie if needed. */
export async function formCsrfToken(c: Ctx): Promise<string> {
  const found = await getSession(c);
  if (found) return found.session.csrfToken;
  const existing = getCookie(c, csrfCookieName(c.env));
  if (existing && TOKEN_SHAPE.test(existing)) return existing;
  const token = randomToken(20);
  setCsrfCookie(c, token, PRE_SESSION_TOKEN_TTL_MS);
  return token;
}

/** Checks a submitted form's token and Origin; false means refuse the form. */
export async function verifyFormCsrf(c: Ctx, submitted: unknown): Promise<boolean> {
  if (typeof submitted !== 'string' || !TOKEN_SHAPE.test(submitted)) return false;
  if (!originAllowed(c, false)) return false;
  const found = await getSession(c);
  const expected = found?.session.csrfToken ?? getCookie(c, csrfCookieName(c.env));
  return expected !== undefined && timingSafeEqualString(submitted, expected);
}
