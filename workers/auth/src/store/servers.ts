// servers + server_versions: a hosted MCP server and its immutable published ServerSpecs.
// `servers.current_version` is what the runner serves; publishing inserts a version and moves it,
// in one batch with its audit event.
import type { Server, ServerVersion } from '../../../../lib/db/schema';
import type { ServerSpec } from '../../../../lib/spec/server-spec';

type ServerRow = {
  id: string;
  org_id: string;
  slug: string;
  name: string;
  description: string | null;
  visibility: Server['visibility'];
  current_version: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
};

type VersionRow = {
  server_id: string;
  version: number;
  spec: string;
  created_by: string;
  created_at: number;
  note: string | null;
};

function toServer(r: ServerRow): Server {
  return {
    id: r.id,
    orgId: r.org_id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    visibility: r.visibility,
    currentVersion: r.current_version,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toVersion(r: VersionRow): ServerVersion {
  return {
    serverId: r.server_id,
    version: r.version,
    spec: JSON.parse(r.spec) as Record<string, unknown>,
    createdBy: r.created_by,
    createdAt: r.created_at,
    note: r.note,
  };
}

export async function findServerBySlug(db: D1Database, slug: string): Promise<Server | undefined> {
  const row = await db
    .prepare('SELECT * FROM servers WHERE slug = ?')
    .bind(slug)
    .first<ServerRow>();
  return row ? toServer(row) : undefined;
}

export async function findServerById(db: D1Database, id: string): Promise<Server | undefined> {
  const row = await db.prepare('SELECT * FROM servers WHERE id = ?').bind(id).first<ServerRow>();
  return row ? toServer(row) : undefined;
}

/** The ServerSpec the runner serves now, or undefined when the server has no published version. */
export async function getPublishedSpec(
  db: D1Database,
  serverId: string,
): Promise<{ version: number; spec: ServerSpec } | undefined> {
  const row = await db
    .prepare(
      `SELECT v.version, v.spec FROM servers s
       JOIN server_versions v ON v.server_id = s.id AND v.version = s.current_version
       WHERE s.id = ?`,
    )
    .bind(serverId)
    .first<{ version: number; spec: string }>();
  return row ? { version: row.version, spec: JSON.parse(row.spec) as ServerSpec } : undefined;
}

export async function listServers(db: D1Database, orgId: string): Promise<Server[]> {
  const { results } = await db
    .prepare('SELECT * FROM servers WHERE org_id = ? ORDER BY created_at DESC, id')
    .bind(orgId)
    .all<ServerRow>();
  return results.map(toServer);
}

export async function listVersions(
  db: D1Database,
  serverId: string,
): Promise<Omit<ServerVersion, 'spec'>[]> {
  const { results } = await db
    .prepare(
      `SELECT server_id, version, '{}' AS spec, created_by, created_at, note
       FROM server_versions WHERE server_id = ? ORDER BY version DESC`,
    )
    .bind(serverId)
    .all<VersionRow>();
  return results.map((r) => {
    const { spec: _spec, ...rest } = toVersion(r);
    return rest;
  });
}

export async function getVersion(
  db: D1Database,
  serverId: string,
  version: number,
): Promise<ServerVersion | undefined> {
  const row = await db
    .prepare('SELECT * FROM server_versions WHERE server_id = ? AND version = ?')
    .bind(serverId, version)
    .first<VersionRow>();
  return row ? toVersion(row) : undefined;
}

export type NewServer = {
  id: string;
  orgId: string;
  spec: ServerSpec;
  createdBy: string;
  note?: string | null;
  now: number;
};

/**
 * The statements that create a server and publish version 1. The caller adds its audit
 * statement and runs them in one `db.batch`; a taken slug fails the batch with a UNIQUE error.
 */
export function createServerStatements(db: D1Database, s: NewServer): D1PreparedStatement[] {
  return [
    insertServerStatement(db, s, 1),
    db
      .prepare(
        `INSERT INTO server_versions (server_id, version, spec, created_by, created_at, note)
         VALUES (?, 1, ?, ?, ?, ?)`,
      )
      .bind(s.id, JSON.stringify(s.spec), s.createdBy, s.now, s.note ?? null),
  ];
}

/** The servers row; `currentVersion` null is a draft (nothing published, the runner says 404). */
function insertServerStatement(
  db: D1Database,
  s: Omit<NewServer, 'note'>,
  currentVersion: 1 | null,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO servers (id, org_id, slug, name, description, visibility, current_version,
         created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      s.id,
      s.orgId,
      s.spec.slug,
      s.spec.name,
      s.spec.description ?? null,
      s.spec.visibility,
      currentVersion,
      s.createdBy,
      s.now,
      s.now,
    );
}

/**
 * Publishes `version` (expected to be current + 1). The INSERT's primary key makes two
 * concurrent publishes of the same number fail instead of both succeeding.
 */
export function publishVersionStatements(
  db: D1Database,
  p: {
    serverId: string;
    version: number;
    spec: ServerSpec;
    createdBy: string;
    note?: string | null;
    now: number;
  },
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO server_versions (server_id, version, spec, created_by, created_at, note)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .bind(p.serverId, p.version, JSON.stringify(p.spec), p.createdBy, p.now, p.note ?? null),
    db
      .prepare(
        `UPDATE servers SET current_version = ?, name = ?, description = ?, visibility = ?,
           updated_at = ? WHERE id = ?`,
      )
      .bind(
        p.version,
        p.spec.name,
        p.spec.description ?? null,
        p.spec.visibility,
        p.now,
        p.serverId,
      ),
  ];
}

/** Deleting cascades to versions and secrets; the runner then answers 404 for the slug. */
export function deleteServerStatement(db: D1Database, serverId: string): D1PreparedStatement {
  return db.prepare('DELETE FROM servers WHERE id = ?').bind(serverId);
}

/**
 * A server with no published version yet (the wizard's build creates it, and the build publishes
 * version 1 only when every step passed). The runner answers 404 until then.
 */
export function createDraftServerStatement(
  db: D1Database,
  s: Omit<NewServer, 'note'>,
): D1PreparedStatement {
  return insertServerStatement(db, s, null);
}

/** The highest version number ever published (rollbacks publish max + 1, never reuse one). */
export async function latestVersion(db: D1Database, serverId: string): Promise<number> {
  const row = await db
    .prepare('SELECT MAX(version) AS v FROM server_versions WHERE server_id = ?')
    .bind(serverId)
    .first<{ v: number | null }>();
  return row?.v ?? 0;
}

/**
 * Points the server back at `version` (null: unpublished), e.g. when a smoke test fails, with that
 * version's name, description and visibility: the row's copies must describe what is served, or a
 * withdrawn publish that widened visibility would leave the server open (docs/oauth.md).
 */
export function setCurrentVersionStatement(
  db: D1Database,
  serverId: string,
  version: number | null,
  now: number,
): D1PreparedStatement {
  const target = 'FROM server_versions v WHERE v.server_id = ?3 AND v.version = ?1';
  // The version's value; for required columns the row's own if the spec lacks it.
  const fromVersion = (column: string, required: boolean) => {
    const value = `json_extract(v.spec, '$.${column}')`;
    const picked = required ? `COALESCE(${value}, servers.${column})` : value;
    return `CASE WHEN EXISTS (SELECT 1 ${target}) THEN (SELECT ${picked} ${target})
      ELSE servers.${column} END`;
  };
  return db
    .prepare(
      `UPDATE servers SET current_version = ?1, updated_at = ?2,
         name = ${fromVersion('name', true)}, description = ${fromVersion('description', false)},
         visibility = ${fromVersion('visibility', true)}
       WHERE id = ?3`,
    )
    .bind(version, now, serverId);
}
