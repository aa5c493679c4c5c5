// servers + server_versions: a hosted MCP server and its immutable published ServerSpecs.
// `servers.current_version` is what the runner serves; publishing inserts a version and moves it,
// in one batch with its audit event. Every move is a compare-and-set on the version it replaces.
import { and, desc, eq, getTableColumns, max } from 'drizzle-orm';
import {
  type Server,
  servers,
  type ServerVersion,
  serverVersions,
} from '../../../../lib/db/schema';
import type { ServerSpec } from '../../../../lib/spec/server-spec';
import { orm } from './orm';

export async function findServerBySlug(db: D1Database, slug: string): Promise<Server | undefined> {
  return orm(db).select().from(servers).where(eq(servers.slug, slug)).get();
}

export async function findServerById(db: D1Database, id: string): Promise<Server | undefined> {
  return orm(db).select().from(servers).where(eq(servers.id, id)).get();
}

/** The ServerSpec the runner serves now, or undefined when the server has no published version. */
export async function getPublishedSpec(
  db: D1Database,
  serverId: string,
): Promise<{ version: number; spec: ServerSpec } | undefined> {
  const row = await orm(db)
    .select({ version: serverVersions.version, spec: serverVersions.spec })
    .from(servers)
    .innerJoin(
      serverVersions,
      and(
        eq(serverVersions.serverId, servers.id),
        eq(serverVersions.version, servers.currentVersion),
      ),
    )
    .where(eq(servers.id, serverId))
    .get();
  // Published specs were validated against ServerSpecSchema before they were stored.
  return row ? { version: row.version, spec: row.spec as ServerSpec } : undefined;
}

export async function listServers(db: D1Database, orgId: string): Promise<Server[]> {
  return orm(db)
    .select()
    .from(servers)
    .where(eq(servers.orgId, orgId))
    .orderBy(desc(servers.createdAt), servers.id)
    .all();
}

export async function listVersions(
  db: D1Database,
  serverId: string,
): Promise<Omit<ServerVersion, 'spec'>[]> {
  const { spec: _spec, ...columns } = getTableColumns(serverVersions);
  return orm(db)
    .select(columns)
    .from(serverVersions)
    .where(eq(serverVersions.serverId, serverId))
    .orderBy(desc(serverVersions.version))
    .all();
}

export async function getVersion(
  db: D1Database,
  serverId: string,
  version: number,
): Promise<ServerVersion | undefined> {
  return orm(db)
    .select()
    .from(serverVersions)
    .where(and(eq(serverVersions.serverId, serverId), eq(serverVersions.version, version)))
    .get();
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
 * Publishes `version` (expected to be latest + 1) in place of `replaces`, the version the caller
 * read and based its change on (null: a draft). Compare-and-set: both statements apply only while
 * `servers.current_version IS replaces`, so a publish that lost a race to another changes nothing
 * instead of silently undoing it (and the INSERT's primary key still refuses two publishes of one
 * number). The switch is the last statement: check it with `versionSwitched` on its result, and
 * follow it with `auditStatement(…, 'changed')` so the event commits only with the publish.
 */
export function publishVersionStatements(
  db: D1Database,
  p: {
    serverId: string;
    version: number;
    replaces: number | null;
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
         SELECT ?, ?, ?, ?, ?, ?
         WHERE EXISTS (SELECT 1 FROM servers WHERE id = ? AND current_version IS ?)`,
      )
      .bind(
        p.serverId,
        p.version,
        JSON.stringify(p.spec),
        p.createdBy,
        p.now,
        p.note ?? null,
        p.serverId,
        p.replaces,
      ),
    switchVersionStatement(db, {
      serverId: p.serverId,
      from: p.replaces,
      to: p.version,
      spec: p.spec,
      now: p.now,
    }),
  ];
}

/**
 * Moves `servers.current_version` from `from` to `to` (null: unpublished), only if it is still
 * `from`: every version switch is a compare-and-set (`IS` so that null compares too). The row's
 * name, description and visibility follow the spec being served (`spec`; a switch to null keeps
 * them), because access checks read visibility from this row.
 */
export function switchVersionStatement(
  db: D1Database,
  s: {
    serverId: string;
    from: number | null;
    to: number | null;
    spec: ServerSpec | null;
    now: number;
  },
): D1PreparedStatement {
  if (!s.spec) {
    return db
      .prepare(
        `UPDATE servers SET current_version = ?, updated_at = ?
         WHERE id = ? AND current_version IS ?`,
      )
      .bind(s.to, s.now, s.serverId, s.from);
  }
  return db
    .prepare(
      `UPDATE servers SET current_version = ?, name = ?, description = ?, visibility = ?,
         updated_at = ? WHERE id = ? AND current_version IS ?`,
    )
    .bind(
      s.to,
      s.spec.name,
      s.spec.description ?? null,
      s.spec.visibility,
      s.now,
      s.serverId,
      s.from,
    );
}

/** Whether a `switchVersionStatement` (or a publish's last statement) moved the version. */
export function versionSwitched(result: D1Result | undefined): boolean {
  return (result?.meta.changes ?? 0) > 0;
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
  const row = await orm(db)
    .select({ v: max(serverVersions.version) })
    .from(serverVersions)
    .where(eq(serverVersions.serverId, serverId))
    .get();
  return row?.v ?? 0;
}
