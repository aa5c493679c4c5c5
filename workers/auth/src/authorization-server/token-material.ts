// The opaque secrets the AS hands out and the identifiers it derives. Codes and refresh tokens
// carry 256 bits of randomness and a recognizable prefix (secret scanners), and are stored only
// as SHA-256 hashes.
import { sha256Hex } from '../../../../lib/crypto/hash';
import { newId, randomToken } from '../../../../lib/ids';

export const newAuthorizationCode = (): string => `moat_ac_${randomToken(32)}`;
export const newRefreshToken = (): string => `moat_rt_${randomToken(32)}`;
export const newClientSecret = (): string => `moat_cs_${randomToken(32)}`;
export const newGrantId = (): string => newId('gr');
export const newClientId = (): string => newId('cl');

/**
 * `jti` of an access token. Every token comes from a grant (client_credentials tokens from the
 * client's machine grant for the server) and carries its id before the dot, so introspection and
 * the runner's revocation rules can tell that the grant was revoked without a table of tokens.
 */
export function newJti(grantId: string): string {
  return `${grantId}.${randomToken(12)}`;
}

export { grantIdOfJti } from '../../../../lib/tokens/revocation';

export const hashSecret = sha256Hex;

export type TokenResponse = {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
};
