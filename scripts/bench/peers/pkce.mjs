// PKCE pairs (RFC 7636 §4.2, S256) and the redirect URI every system's public client registers.
export const REDIRECT = 'http://127.0.0.1:47613/callback';

export async function pkce() {
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: Buffer.from(digest).toString('base64url') };
}
