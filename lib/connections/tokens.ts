// A user's downstream token pair at rest (docs/connections.md "Storage"): one envelope
// (lib/crypto/envelope.ts) per user_connections row, holding the JSON below. The AAD binds the
// ciphertext to its (server, user, connection name), so a row copied to another server, user or
// connection fails to open. Never logged, never returned, never in an audit row.
import { z } from 'zod';
import { openSecret, sealSecret, type Envelope } from '../crypto/envelope';

export const TokenPairSchema = z.strictObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().optional(),
});

export type TokenPair = z.infer<typeof TokenPairSchema>;

export type ConnectionKey = { serverId: string; userId: string; name: string };

/** The AAD of a user_connections row's envelope. */
export function connectionAad(key: ConnectionKey): string {
  return `connection:${key.serverId}:${key.userId}:${key.name}`;
}

/** The AAD of a connection_flows row's sealed PKCE verifier (RFC 7636 §4.1). */
export function flowVerifierAad(stateHash: string): string {
  return `connection-flow:${stateHash}`;
}

export function sealTokenPair(
  masterKey: string,
  key: ConnectionKey,
  pair: TokenPair,
): Promise<Envelope> {
  const value: TokenPair = { access_token: pair.access_token };
  if (pair.refresh_token) value.refresh_token = pair.refresh_token;
  if (pair.token_type) value.token_type = pair.token_type;
  return sealSecret(masterKey, JSON.stringify(value), connectionAad(key));
}

/** Throws when the envelope was tampered with or belongs to another row. */
export async function openTokenPair(
  masterKey: string,
  key: ConnectionKey,
  envelope: Envelope,
): Promise<TokenPair> {
  return TokenPairSchema.parse(
    JSON.parse(await openSecret(masterKey, envelope, connectionAad(key))),
  );
}
