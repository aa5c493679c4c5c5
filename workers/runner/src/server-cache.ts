// Slug → published version, cached in the isolate. Publishing bumps servers.current_version; the
// cache re-reads that one indexed column at most every SERVER_REVALIDATE_MS and loads the new
// spec only when the number moved (docs/architecture.md "Server resolution").
import { serverScopes, type ServerSpec } from '../../../lib/spec/server-spec';
import { findServerHead, loadSpec } from './store/servers';

export type HostedServer = {
  id: string;
  orgId: string;
  slug: string;
  version: number;
  spec: ServerSpec;
  scopes: string[];
  /** The RFC 8707 resource and the JWT `aud`: `{RUNNER_ORIGIN}/{slug}/mcp`. */
  resource: string;
};

type Entry = { server: HostedServer | undefined; checkedAt: number };

const MAX_ENTRIES = 1000;
const DEFAULT_REVALIDATE_MS = 5000;
const cache = new Map<string, Entry>();

export async function resolveServer(
  env: Pick<Env, 'DB' | 'RUNNER_ORIGIN' | 'SERVER_REVALIDATE_MS'>,
  slug: string,
  now = Date.now(),
): Promise<HostedServer | undefined> {
  const revalidateMs = Number(env.SERVER_REVALIDATE_MS || DEFAULT_REVALIDATE_MS);
  const hit = cache.get(slug);
  if (hit && now - hit.checkedAt < revalidateMs) return hit.server;

  const head = await findServerHead(env.DB, slug);
  let server: HostedServer | undefined;
  if (head && hit?.server?.id === head.id && hit.server.version === head.currentVersion) {
    server = hit.server;
  } else if (head) {
    const spec = await loadSpec(env.DB, head.id, head.currentVersion);
    if (spec) {
      server = {
        id: head.id,
        orgId: head.orgId,
        slug: head.slug,
        version: head.currentVersion,
        spec,
        scopes: serverScopes(spec),
        resource: `${env.RUNNER_ORIGIN}/${head.slug}/mcp`,
      };
    }
  }
  if (cache.size >= MAX_ENTRIES && !hit) cache.delete(cache.keys().next().value!);
  cache.set(slug, { server, checkedAt: now });
  return server;
}
