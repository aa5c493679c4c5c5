// Password hashing: PBKDF2-SHA256 over WebCrypto with a per-user random salt.
// 100,000 iterations: the cap Cloudflare's production runtime enforces for PBKDF2 (workerd issue
// #1346); the local workerd accepts more, but a higher count would break every sign-in once
// deployed (docs/decisions.md). The count is stored in each hash, so raising it later only needs
// a rehash on the next successful sign-in.
import { base64UrlDecode, base64UrlEncode, timingSafeEqual } from './hash';

export const PBKDF2_ITERATIONS = 100_000;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const SCHEME = 'pbkdf2-sha256';

/** A clear reason the password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `Password is too short: use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH)
    return `Password is too long: use at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (new Set(password).size < 4)
    return 'Password is too weak: it repeats too few different characters.';
  return undefined;
}

async function derive(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

/** `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>` */
export async function hashPassword(
  password: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `${SCHEME}$${iterations}$${base64UrlEncode(salt)}$${base64UrlEncode(hash)}`;
}

/** Constant-time check of `password` against a stored hash; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash, ...rest] = stored.split('$');
  const iterations = Number(iter);
  if (scheme !== SCHEME || rest.length > 0 || !salt || !hash) return false;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS)
    return false;
  const expected = base64UrlDecode(hash);
  const actual = await derive(password, base64UrlDecode(salt), iterations);
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of a random password, verified against when the account does not exist so that an
 * unknown email costs the same PBKDF2 work as a wrong password (no user enumeration by timing).
 */
let dummy: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomUUID());
  return dummy;
}
