// The runner's read side of servers/server_versions (written by the auth Worker's registry).
import type { Server } from '../../../../lib/db/schema';
import type { ServerSpec } from '../../../../lib/spec/server-spec';

export type ServerHead = Pick<Server, 'id' | 'orgId' | 'slug'> & { currentVersion: number };

/** The cheap check: one indexed row, no spec. Undefined when absent or never published. */
export async function findServerHead(
  db: D1Database,
  slug: string,
): Promise<ServerHead | undefined> {
  const row = await db
    .prepare(
      'SELECT id, org_id AS orgId, slug, current_version AS currentVersion FROM servers WHERE slug = ?',
    )
    .bind(slug)
    .first<Pick<Server, 'id' | 'orgId' | 'slug' | 'currentVersion'>>();
  if (!row || row.currentVersion === null) return undefined;
  return { ...row, currentVersion: row.currentVersion };
}

/** Versions are immutable, so a (server, version) spec can be cached forever. */
export async function loadSpec(
  db: D1Database,
  serverId: string,
  version: number,
): Promise<ServerSpec | undefined> {
  const row = await db
    .prepare('SELECT spec FROM server_versions WHERE server_id = ? AND version = ?')
    .bind(serverId, version)
    .first<{ spec: string }>();
  return row ? (JSON.parse(row.spec) as ServerSpec) : undefined;
}
