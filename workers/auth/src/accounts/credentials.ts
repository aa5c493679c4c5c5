// Sign-up and sign-in, shared by the JSON API (/v1/auth/*) and the /login page.
import { z } from 'zod';
import {
  dummyPasswordHash,
  hashPassword,
  passwordProblem,
  PASSWORD_MAX_LENGTH,
  verifyPassword,
} from '../../../../lib/crypto/password';
import type { Session, User } from '../../../../lib/db/schema';
import { ApiError } from '../../../../lib/http/api-error';
import { auditStatement, writeAudit } from '../store/audit';
import { resolveMembership } from '../store/orgs';
import { hit, peek, resetLimit } from '../store/rate-limits';
import { newSession } from '../store/sessions';
import { createUserWithOrg, findUserByEmail, normalizeEmail } from '../store/users';

/** Failed log-ins allowed per window before 429 (docs/decisions.md). */
export const LOGIN_LIMITS = {
  account: { limit: 5, windowMs: 15 * 60 * 1000 },
  ip: { limit: 20, windowMs: 15 * 60 * 1000 },
} as const;

export const EmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Enter a valid email address.' }));

export const SignupSchema = z
  .object({
    email: EmailSchema,
    password: z.string().max(PASSWORD_MAX_LENGTH),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export const LoginSchema = z
  .object({ email: z.string().max(254), password: z.string().max(PASSWORD_MAX_LENGTH) })
  .strict();

export type RequestMeta = { ip?: string | undefined; userAgent?: string | undefined };
export type SignedIn = { user: User; orgId: string; session: Session; cookieValue: string };

export async function signUp(
  db: D1Database,
  input: z.infer<typeof SignupSchema>,
  meta: RequestMeta,
): Promise<SignedIn> {
  const problem = passwordProblem(input.password);
  if (problem) {
    throw new ApiError(422, 'weak_password', problem, {
      details: { fields: [{ path: 'password', message: problem }] },
    });
  }
  const now = Date.now();
  const passwordHash = await hashPassword(input.password);
  const created = await createUserWithOrg(
    db,
    { email: input.email, name: input.name ?? null, passwordHash },
    { ip: meta.ip, userAgent: meta.userAgent },
    now,
    (userId) => newSession(db, userId, meta, now),
  );
  if (!created) {
    throw new ApiError(
      409,
      'email_taken',
      'An account with this email already exists. Sign in instead.',
    );
  }
  return created;
}

const limitKeys = (email: string, ip: string | undefined) => ({
  account: `login:acct:${normalizeEmail(email)}`,
  ip: ip ? `login:ip:${ip}` : undefined,
});

function tooMany(retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    'too_many_attempts',
    `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} seconds.`,
    { headers: { 'retry-after': String(retryAfterSeconds) } },
  );
}

/**
 * Checks the password with a per-account and per-IP limit on failures. Unknown emails cost the
 * same PBKDF2 work and get the same answer as wrong passwords.
 */
export async function signIn(
  db: D1Database,
  input: z.infer<typeof LoginSchema>,
  meta: RequestMeta,
): Promise<SignedIn> {
  const keys = limitKeys(input.email, meta.ip);
  const [acct, ip] = await Promise.all([
    peek(db, keys.account, LOGIN_LIMITS.account),
    keys.ip ? peek(db, keys.ip, LOGIN_LIMITS.ip) : undefined,
  ]);
  if (!acct.allowed || (ip && !ip.allowed)) {
    throw tooMany(
      Math.max(
        acct.allowed ? 0 : acct.retryAfterSeconds,
        ip && !ip.allowed ? ip.retryAfterSeconds : 0,
      ),
    );
  }

  const user = await findUserByEmail(db, input.email);
  const ok = await verifyPassword(
    input.password,
    user?.passwordHash ?? (await dummyPasswordHash()),
  );
  const membership = user ? await resolveMembership(db, user.id) : undefined;
  if (!user || !ok || !membership) {
    await Promise.all([
      hit(db, keys.account, LOGIN_LIMITS.account),
      keys.ip ? hit(db, keys.ip, LOGIN_LIMITS.ip) : undefined,
      writeAudit(db, {
        orgId: membership?.orgId ?? null,
        actor: user?.id ?? null,
        action: 'user.login_failed',
        resource: user?.id ?? null,
        ip: meta.ip,
        userAgent: meta.userAgent,
        metadata: {
          email: normalizeEmail(input.email).slice(0, 254),
          reason: user ? 'wrong_password' : 'unknown_email',
        },
      }),
    ]);
    throw new ApiError(401, 'invalid_credentials', 'Email or password is incorrect.');
  }

  const now = Date.now();
  const { session, cookieValue, statement } = await newSession(db, user.id, meta, now);
  await db.batch([
    statement,
    auditStatement(db, {
      now,
      orgId: membership.orgId,
      actor: user.id,
      action: 'user.login',
      resource: user.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
    }),
  ]);
  await resetLimit(db, keys.account);
  return { user, orgId: membership.orgId, session, cookieValue };
}
