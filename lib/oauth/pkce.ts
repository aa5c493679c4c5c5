// PKCE (RFC 7636), S256 only: OAuth 2.1 §4.1.1 requires PKCE for every client and "plain" is not
// offered (RFC 7636 §4.2 allows it only when S256 is impossible, which is never the case today).
import { base64UrlEncode, timingSafeEqualString } from '../crypto/hash';

// RFC 7636 §4.1: 43-128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
// A S256 challenge is BASE64URL(SHA-256(verifier)): exactly 43 base64url characters.
const S256_CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

export function isCodeVerifier(value: string): boolean {
  return VERIFIER.test(value);
}

export function isS256Challenge(value: string): boolean {
  return S256_CHALLENGE.test(value);
}

export async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(digest);
}

/** RFC 7636 §4.6, compared in constant time. */
export async function verifyS256(verifier: string, challenge: string): Promise<boolean> {
  if (!isCodeVerifier(verifier)) return false;
  return timingSafeEqualString(await s256(verifier), challenge);
}
