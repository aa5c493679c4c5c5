// Slug → published version, cached in the isolate. Publishing bumps servers.current_version; the
// cache re-reads that one indexed column at most every SERVER_REVALIDATE_MS and loads the new
// spec only when the number moved (docs/architecture.md "Server resolution").
//
// Requests for slugs that do not exist come from anyone, unauthenticated, so they are kept apart
// from the servers: a malformed slug never reaches D1, an unknown one is remembered as unknown for
// the same interval (in a bounded map of its own), concurrent lookups of one slug share one read,
// and known servers are evicted least recently used — never by a flood of misses.
import { serverScopes, SLUG_PATTERN, type ServerSpec } from '../../../lib/spec/server-spec';
import { findServerHead, loadSpec } from './store/servers';

export type HostedServer = {
  id: string;
  orgId: string;
  slug: string;
  version: number;
  spec: ServerSpec;
  scopes: string[];
  /** The RFC 8707 resource and the JWT `aud`: `{RUNNER_ORIGIN}/{path}/mcp`. */
  resource: string;
  /** `{slug}`, or `{slug}/{toolset}` for a toolset served as its own resource (toolset-server.ts). */
  path: string;
  /** Set when this is a toolset's view of the server: `spec` and `scopes` are the toolset's. */
  toolset?: string;
};

type CacheEnv = Pick<Env, 'DB' | 'RUNNER_ORIGIN' | 'SERVER_REVALIDATE_MS'>;

export const MAX_SERVERS = 1000;
export const MAX_UNKNOWN_SLUGS = 4096;
const DEFAULT_REVALIDATE_MS = 5000;

/** Known servers, least recently used first. */
const servers = new Map<string, { server: HostedServer; checkedAt: number }>();
/** Slugs D1 had no published server for, oldest first, with when that was checked. */
const unknown = new Map<string, number>();
const lookups = new Map<string, Promise<HostedServer | undefined>>();

/** Sets `key` as the newest entry of an insertion-ordered map, dropping the oldest past `max`. */
function setNewest<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

async function lookUp(
  env: CacheEnv,
  slug: string,
  previous: HostedServer | undefined,
): Promise<HostedServer | undefined> {
  const head = await findServerHead(env.DB, slug);
  if (!head) return undefined;
  if (previous?.id === head.id && previous.version === head.currentVersion) return previous;
  const spec = await loadSpec(env.DB, head.id, head.currentVersion);
  if (!spec) return undefined;
  return {
    id: head.id,
    orgId: head.orgId,
    slug: head.slug,
    version: head.currentVersion,
    spec,
    scopes: serverScopes(spec),
    resource: `${env.RUNNER_ORIGIN}/${head.slug}/mcp`,
    path: head.slug,
  };
}

export async function resolveServer(
  env: CacheEnv,
  slug: string,
  now = Date.now(),
): Promise<HostedServer | undefined> {
  // ServerSpec slugs always match the pattern, so anything else cannot exist.
  if (!SLUG_PATTERN.test(slug)) return undefined;
  const revalidateMs = Number(env.SERVER_REVALIDATE_MS || DEFAULT_REVALIDATE_MS);
  const hit = servers.get(slug);
  if (hit && now - hit.checkedAt < revalidateMs) {
    setNewest(servers, slug, hit, MAX_SERVERS);
    return hit.server;
  }
  const missedAt = unknown.get(slug);
  if (missedAt !== undefined && now - missedAt < revalidateMs) return undefined;

  let lookup = lookups.get(slug);
  if (!lookup) {
    lookup = lookUp(env, slug, hit?.server).finally(() => lookups.delete(slug));
    lookups.set(slug, lookup);
  }
  const server = await lookup;
  if (server) {
    unknown.delete(slug);
    setNewest(servers, slug, { server, checkedAt: now }, MAX_SERVERS);
  } else {
    servers.delete(slug);
    setNewest(unknown, slug, now, MAX_UNKNOWN_SLUGS);
  }
  return server;
}
