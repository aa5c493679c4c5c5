// An isolate's short-lived copy of registered (DCR) client rows for the token endpoint, which
// otherwise reads the same row on every grant (docs/decisions.md 2026-12-03 "Token endpoint
// caches"). A row is served for at most CLIENT_CACHE_MS and never past its own expiry. Revoking
// clients in this isolate drops the whole copy (revokeClientsStatements); a revocation made in
// another isolate is seen within CLIENT_CACHE_MS, and in that window the grants still re-read the
// state the revocation changed in the same batch (grants, refresh tokens), see the decision.
import type { OAuthClient } from '../../../../lib/db/schema';
import { findClient } from './oauth-clients';

export const CLIENT_CACHE_MS = 5_000;
const MAX_ENTRIES = 1_000;

const entries = new Map<string, { client: OAuthClient; until: number }>();

/** Drops every cached row (a client was revoked, deleted or changed in this isolate). */
export function forgetCachedClients(): void {
  entries.clear();
}

/** `findClient`, served from the isolate's copy while it is fresh. */
export async function findClientCached(
  db: D1Database,
  id: string,
  now = Date.now(),
): Promise<OAuthClient | undefined> {
  const hit = entries.get(id);
  if (hit && hit.until > now) return hit.client;
  if (hit) entries.delete(id);
  const client = await findClient(db, id, now);
  if (client?.kind !== 'dcr') return client;
  let until = now + CLIENT_CACHE_MS;
  if (client.expiresAt !== null) until = Math.min(until, client.expiresAt);
  // Map keeps insertion order: the first key is the oldest entry.
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(id, { client, until });
  return client;
}
