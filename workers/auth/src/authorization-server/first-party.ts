// The first-party clients as the AS's client records (lib/oauth/first-party.ts): resolved before
// any registration, never stored, never expiring. DCR ids are `cl_…` and CIMD ids https URLs, so
// no registration can take these ids.
import type { OAuthClient } from '../../../../lib/db/schema';
import {
  MOAT_CLI_CLIENT_ID,
  MOAT_CLI_CLIENT_NAME,
  MOAT_CLI_REDIRECT_URI,
} from '../../../../lib/oauth/first-party';

const moatCli = (): OAuthClient => ({
  id: MOAT_CLI_CLIENT_ID,
  kind: 'dcr',
  name: MOAT_CLI_CLIENT_NAME,
  metadata: { client_name: MOAT_CLI_CLIENT_NAME, software_id: 'moat-cli' },
  redirectUris: [MOAT_CLI_REDIRECT_URI],
  tokenEndpointAuthMethod: 'none',
  grantTypes: ['authorization_code', 'refresh_token'],
  secretHash: null,
  ownerUserId: null,
  ownerOrgId: null,
  ownerApiKeyId: null,
  createdAt: 0,
  lastUsedAt: null,
  expiresAt: null,
  fetchedAt: null,
});

export function firstPartyClient(id: string): OAuthClient | undefined {
  return id === MOAT_CLI_CLIENT_ID ? moatCli() : undefined;
}

export { isFirstPartyClient } from '../../../../lib/oauth/first-party';
