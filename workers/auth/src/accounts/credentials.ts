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
import { admitLoginAttempt, loginSucceeded } from './login-throttle';
import { resolveMembership } from '../store/orgs';
import { newSession } from '../store/sessions';
import { createUserWithOrg, findUserByEmail, normalizeEmail } from '../store/users';
import type { RequestMeta } from '../request-meta';

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

/**
 * Checks the password behind the sign-in throttle (accounts/login-throttle.ts). Unknown emails
 * cost the same PBKDF2 work, count the same and get the same answer as wrong passwords.
 */
export async function signIn(
  db: D1Database,
  input: z.infer<typeof LoginSchema>,
  meta: RequestMeta,
): Promise<SignedIn> {
  const attempt = await admitLoginAttempt(db, input.email, meta.ip);

  const user = await findUserByEmail(db, input.email);
  const ok = await verifyPassword(
    input.password,
    user?.passwordHash ?? (await dummyPasswordHash()),
  );
  const membership = user ? await resolveMembership(db, user.id) : undefined;
  if (!user || !ok || !membership) {
    await writeAudit(db, {
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
    });
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
  await loginSucceeded(db, attempt);
  return { user, orgId: membership.orgId, session, cookieValue };
}
