// The runner's read side of servers/server_versions (written by the auth Worker's registry).
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
  const row = await db
    .prepare('SELECT id, org_id, slug, current_version FROM servers WHERE slug = ?')
    .bind(slug)
    .first<{ id: string; org_id: string; slug: string; current_version: number | null }>();
  if (!row || row.current_version === null) return undefined;
  return { id: row.id, orgId: row.org_id, slug: row.slug, currentVersion: row.current_version };
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
