// Sign-in throttling that slows the attacker, not the victim (OWASP Authentication Cheat Sheet,
// "Login Throttling"; OWASP "Blocking Brute Force Attacks"): failures are counted per (account,
// client network) and per client network, never per account alone, so wrong passwords from one
// address cannot lock the owner out from another. Each attempt is counted *before* the password
// is checked, by one atomic UPSERT … RETURNING per counter: parallel attempts each get their own
// count and at most `limit` of them reach the password check. A successful sign-in gives its
// attempt back.
import { ApiError } from '../../../../lib/http/api-error';
import { clientNetwork } from '../../../../lib/net/ip-address';
import { hit, refund, resetLimit } from '../store/rate-limits';
import { normalizeEmail } from '../store/users';

const WINDOW_MS = 15 * 60 * 1000;

/** Failed sign-ins allowed per window before 429 (docs/decisions.md 2026-12-02). */
export const LOGIN_LIMITS = {
  /** One account from one client network: a password guesser. */
  accountAddress: { limit: 5, windowMs: WINDOW_MS },
  /** One client network across accounts: credential stuffing. */
  address: { limit: 20, windowMs: WINDOW_MS },
} as const;

export type LoginAttempt = { pairKey: string; addressKey: string };

function tooMany(retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    'too_many_attempts',
    `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} seconds.`,
    { headers: { 'retry-after': String(retryAfterSeconds) } },
  );
}

/** Counts this attempt; throws 429 `too_many_attempts` when either counter is past its limit. */
export async function admitLoginAttempt(
  db: D1Database,
  email: string,
  ip: string | null | undefined,
): Promise<LoginAttempt> {
  const network = clientNetwork(ip);
  const attempt = {
    pairKey: `login:acct-net:${normalizeEmail(email)}:${network}`,
    addressKey: `login:net:${network}`,
  };
  const [pair, address] = await Promise.all([
    hit(db, attempt.pairKey, LOGIN_LIMITS.accountAddress),
    hit(db, attempt.addressKey, LOGIN_LIMITS.address),
  ]);
  if (!pair.allowed || !address.allowed) {
    throw tooMany(
      Math.max(
        pair.allowed ? 0 : pair.retryAfterSeconds,
        address.allowed ? 0 : address.retryAfterSeconds,
      ),
    );
  }
  return attempt;
}

/** The right password: this network's failures on the account are forgiven, its attempt refunded. */
export async function loginSucceeded(db: D1Database, attempt: LoginAttempt): Promise<void> {
  await Promise.all([resetLimit(db, attempt.pairKey), refund(db, attempt.addressKey)]);
}
