// POST /v1/auth/signup, /v1/auth/login, /v1/auth/logout (DESIGN §3 "Account API").
import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { LoginSchema, signIn, SignupSchema, signUp, type SignedIn } from '../accounts/credentials';
import { clearSessionCookies, principalOf, setSessionCookies } from '../middleware/session';
import { readJson } from './request-body';
import { auditStatement } from '../store/audit';
import { deleteSessionStatement } from '../store/sessions';
import { requestMeta } from '../request-meta';

type Ctx = Context<AppEnv>;

function signedInBody(s: SignedIn) {
  return {
    user: { id: s.user.id, email: s.user.email, name: s.user.name, createdAt: s.user.createdAt },
    orgId: s.orgId,
    csrfToken: s.session.csrfToken,
    expiresAt: s.session.expiresAt,
  };
}

export async function signup(c: Ctx): Promise<Response> {
  const input = await readJson(c, SignupSchema);
  const signed = await signUp(c.env.DB, input, requestMeta(c.req.raw));
  setSessionCookies(c, signed.cookieValue, signed.session.csrfToken);
  return c.json(signedInBody(signed), 201, { 'cache-control': 'no-store' });
}

export async function login(c: Ctx): Promise<Response> {
  const input = await readJson(c, LoginSchema);
  const signed = await signIn(c.env.DB, input, requestMeta(c.req.raw));
  setSessionCookies(c, signed.cookieValue, signed.session.csrfToken);
  return c.json(signedInBody(signed), 200, { 'cache-control': 'no-store' });
}

export async function logout(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  const audit = auditStatement(c.env.DB, {
    orgId: p.orgId,
    actor: p.user.id,
    action: 'user.logout',
    resource: p.user.id,
    ...requestMeta(c.req.raw),
  });
  // An API key has no session to end; logging out is a browser action.
  await c.env.DB.batch(
    p.kind === 'session' ? [deleteSessionStatement(c.env.DB, p.session.id), audit] : [audit],
  );
  clearSessionCookies(c);
  return c.body(null, 204);
}
