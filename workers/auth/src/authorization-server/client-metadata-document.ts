// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, MCP 2025-11-25):
// the client_id is an https URL and the document at it is the client's metadata. Fetched with
// a time limit, a size limit, no redirects and no private addresses (SSRF), then cached.
import type { OAuthClient } from '../../../../lib/db/schema';
import { parseClientMetadata } from '../../../../lib/oauth/client-metadata';
import { OAuthError } from '../../../../lib/oauth/errors';
import { isPrivateHost } from '../../../../lib/spec/egress';
import type { OAuthConfig } from './config';
import { readLimited } from '../../../../lib/http/bounded-body';

const MAX_BYTES = 16 * 1024;
const TIMEOUT_MS = 5_000;
const MIN_CACHE_S = 300;
const DEFAULT_CACHE_S = 3600;
const MAX_CACHE_S = 86_400;

export function isMetadataDocumentId(clientId: string): boolean {
  return clientId.startsWith('https://') || clientId.startsWith('http://');
}

/** Why this client_id cannot be a metadata document URL, or undefined. */
export function metadataUrlProblem(clientId: string, config: OAuthConfig): string | undefined {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return 'is not a URL';
  }
  if (url.href !== clientId) return 'is not in normalized form';
  if (url.hash || clientId.includes('#')) return 'has a fragment';
  if (url.username || url.password) return 'has credentials';
  if (url.pathname === '/' || url.pathname === '') return 'has no path';
  if (/\/\.\.?(\/|$)/.test(url.pathname)) return 'has dot segments';
  // The one egress classifier (lib/net/ip-address.ts): every spelling of a non-public address.
  const local = isPrivateHost(url.hostname);
  // Plain http only for local documents in local development (ALLOW_PRIVATE_EGRESS).
  if (url.protocol === 'http:' && !(config.allowPrivateEgress && local)) return 'is not https';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'is not https';
  if (local && !config.allowPrivateEgress) return 'names a private address';
  return undefined;
}

function cacheSeconds(cacheControl: string | null): number {
  const m = cacheControl ? /max-age=(\d+)/.exec(cacheControl) : null;
  const s = m ? Number(m[1]) : DEFAULT_CACHE_S;
  return Math.min(MAX_CACHE_S, Math.max(MIN_CACHE_S, s));
}

/** Fetches and validates the document; the client it describes, ready to cache. */
export async function fetchMetadataDocument(
  clientId: string,
  config: OAuthConfig,
  now = Date.now(),
): Promise<OAuthClient> {
  const problem = metadataUrlProblem(clientId, config);
  if (problem) throw new OAuthError('invalid_client', `The client_id URL ${problem}.`);
  let res: Response;
  let body: string;
  try {
    res = await fetch(clientId, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    body = res.status === 200 ? new TextDecoder().decode(await readLimited(res, MAX_BYTES)) : '';
  } catch {
    throw new OAuthError('invalid_client', 'The client metadata document could not be fetched.');
  }
  if (res.status !== 200) {
    throw new OAuthError(
      'invalid_client',
      `The client metadata document answered ${res.status}; redirects are not followed.`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new OAuthError('invalid_client', 'The client metadata document is not JSON.');
  }
  if (
    typeof raw !== 'object' ||
    raw === null ||
    (raw as { client_id?: unknown }).client_id !== clientId
  ) {
    throw new OAuthError('invalid_client', 'The client metadata document names another client_id.');
  }
  const withDefault = { token_endpoint_auth_method: 'none', ...(raw as object) };
  let metadata;
  try {
    metadata = parseClientMetadata(withDefault);
  } catch (err) {
    throw new OAuthError('invalid_client', `Client metadata document: ${(err as Error).message}`);
  }
  if (metadata.token_endpoint_auth_method !== 'none') {
    // A document is public: it cannot carry a shared secret.
    throw new OAuthError(
      'invalid_client',
      'A metadata-document client must use token_endpoint_auth_method "none".',
    );
  }
  return {
    id: clientId,
    kind: 'cimd',
    name: metadata.client_name ?? null,
    metadata: { ...metadata, client_id: clientId },
    redirectUris: metadata.redirect_uris ?? [],
    tokenEndpointAuthMethod: 'none',
    grantTypes: metadata.grant_types,
    secretHash: null,
    ownerUserId: null,
    ownerOrgId: null,
    ownerApiKeyId: null,
    createdAt: now,
    lastUsedAt: null,
    expiresAt: now + cacheSeconds(res.headers.get('cache-control')) * 1000,
    fetchedAt: now,
  };
}
