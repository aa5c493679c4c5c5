// An isolate's short-lived copy of a served server's opened secrets, so a tools/call does not
// read and decrypt the same rows on every call (docs/decisions.md 2026-12-03 "Opened secrets
// cached per isolate"). Keyed by server, published version and the names a tool uses; an entry
// lives for the server's revalidation interval (SERVER_REVALIDATE_MS, 5 s by default), so a
// secret written in the dashboard is used by the first call after that interval, and a publish
// (a new version) is seen at once. Callers get a copy: they add connection tokens to it.
import { openSecrets } from './secrets';

export const MAX_SECRET_ENTRIES = 1000;
const DEFAULT_TTL_MS = 5000;

const entries = new Map<string, { values: Map<string, string>; until: number }>();

export type SecretCacheEnv = Pick<Env, 'DB' | 'MASTER_KEY'> &
  Partial<Pick<Env, 'SERVER_REVALIDATE_MS'>>;

export async function openSecretsCached(
  env: SecretCacheEnv,
  server: { id: string; version: number },
  names: readonly string[],
  now = Date.now(),
): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const ttlMs = Number(env.SERVER_REVALIDATE_MS ?? DEFAULT_TTL_MS);
  if (!(ttlMs > 0)) return openSecrets(env.DB, env.MASTER_KEY, server.id, names);
  const key = JSON.stringify([server.id, server.version, [...names].sort()]);
  const hit = entries.get(key);
  if (hit && hit.until > now) return new Map(hit.values);
  entries.delete(key);
  const values = await openSecrets(env.DB, env.MASTER_KEY, server.id, names);
  // Map keeps insertion order: the first key is the oldest entry.
  if (entries.size >= MAX_SECRET_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, { values, until: now + ttlMs });
  return new Map(values);
}
