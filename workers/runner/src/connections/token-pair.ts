// A connection's provider token pair, sealed as one envelope (lib/crypto/envelope.ts, the
// user_connections comment in lib/db/schema.ts): access and refresh token are written together,
// so a rotated refresh token can never be stored without the access token issued with it.
import { openSecret, sealSecret, type Envelope } from '../../../../lib/crypto/envelope';

export type TokenPair = { access_token: string; refresh_token?: string; token_type?: string };

/** The AAD binds the envelope to its row: copied to another server, user or name, it fails. */
export function connectionAad(serverId: string, userId: string, name: string): string {
  return `connection:${serverId}:${userId}:${name}`;
}

export function sealTokenPair(masterKey: string, pair: TokenPair, aad: string): Promise<Envelope> {
  return sealSecret(masterKey, JSON.stringify(pair), aad);
}

export async function openTokenPair(
  masterKey: string,
  sealed: Envelope,
  aad: string,
): Promise<TokenPair> {
  const pair = JSON.parse(await openSecret(masterKey, sealed, aad)) as TokenPair;
  if (typeof pair.access_token !== 'string') throw new Error('connection envelope has no token');
  return pair;
}
