// The runner's read side of servers/server_versions (written by the auth Worker's registry).
import { and, eq } from 'drizzle-orm';
import { orm } from '../../../../lib/db/orm';
import { servers, serverVersions } from '../../../../lib/db/schema';
import type { ServerSpec } from '../../../../lib/spec/server-spec';

export type ServerHead = {
  id: string;
  orgId: string;
  slug: string;
  currentVersion: number;
};

/** The cheap check: one indexed row, no spec. Undefined when absent or never published. */
export async function findServerHead(
  db: D1Database,
  slug: string,
): Promise<ServerHead | undefined> {
  const row = await orm(db)
    .select({
      id: servers.id,
      orgId: servers.orgId,
      slug: servers.slug,
      currentVersion: servers.currentVersion,
    })
    .from(servers)
    .where(eq(servers.slug, slug))
    .get();
  if (!row || row.currentVersion === null) return undefined;
  return { ...row, currentVersion: row.currentVersion };
}

/** Versions are immutable, so a (server, version) spec can be cached forever. */
export async function loadSpec(
  db: D1Database,
  serverId: string,
  version: number,
): Promise<ServerSpec | undefined> {
  const row = await orm(db)
    .select({ spec: serverVersions.spec })
    .from(serverVersions)
    .where(and(eq(serverVersions.serverId, serverId), eq(serverVersions.version, version)))
    .get();
  // The auth Worker validated the spec before it published this version.
  return row ? (row.spec as ServerSpec) : undefined;
}
