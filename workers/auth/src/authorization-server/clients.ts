// Client lookup for every endpoint: Moat's own clients from code, DCR clients from D1,
// metadata-document clients from their cached row while fresh, otherwise fetched again.
import type { OAuthClient } from '../../../../lib/db/schema';
import { OAuthError } from '../../../../lib/oauth/errors';
import { findClientCached } from '../store/client-cache';
import { findClient, findClientRow, insertClientStatement } from '../store/oauth-clients';
import { fetchMetadataDocument, isMetadataDocumentId } from './client-metadata-document';
import type { OAuthConfig } from './config';
import { firstPartyClient } from './first-party';

export type ResolveOptions = {
  /**
   * Serve a registered client from the isolate's few-second copy (store/client-cache.ts): only
   * for grants that re-read in D1 what a client's revocation changes (docs/decisions.md
   * 2026-12-03 "Token endpoint caches").
   */
  cached?: boolean;
  now?: number;
};

export async function resolveClient(
  db: D1Database,
  config: OAuthConfig,
  clientId: string | undefined,
  { cached = false, now = Date.now() }: ResolveOptions = {},
): Promise<OAuthClient> {
  if (!clientId || clientId.length > 2000) {
    throw new OAuthError('invalid_client', 'Unknown client.');
  }
  const firstParty = firstPartyClient(clientId);
  if (firstParty) return firstParty;
  if (isMetadataDocumentId(clientId)) {
    const cached = await findClientRow(db, clientId);
    if (cached?.kind === 'cimd' && cached.expiresAt !== null && cached.expiresAt > now)
      return cached;
    const fresh = await fetchMetadataDocument(clientId, config, now);
    await insertClientStatement(db, { ...fresh, createdAt: cached?.createdAt ?? now }).run();
    return fresh;
  }
  const client = await (cached ? findClientCached : findClient)(db, clientId, now);
  if (!client) throw new OAuthError('invalid_client', 'Unknown client.');
  return client;
}
