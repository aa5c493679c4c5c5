// builds: one row per build of a server, kept after the build's Durable Object is done so the log
// stays readable (GET /v1/builds/:id). `options` never holds secret values.
import type { Build } from '../../../../lib/db/schema';

type BuildRow = {
  id: string;
  server_id: string;
  org_id: string;
  status: Build['status'];
  spec: string;
  options: string | null;
  log: string | null;
  version: number | null;
  error: string | null;
  created_by: string;
  created_at: number;
  finished_at: number | null;
};

function toBuild(r: BuildRow): Build {
  return {
    id: r.id,
    serverId: r.server_id,
    orgId: r.org_id,
    status: r.status,
    spec: JSON.parse(r.spec) as Record<string, unknown>,
    options: r.options ? (JSON.parse(r.options) as Record<string, unknown>) : null,
    log: r.log ? (JSON.parse(r.log) as unknown[]) : null,
    version: r.version,
    error: r.error,
    createdBy: r.created_by,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

export type NewBuild = {
  id: string;
  serverId: string;
  orgId: string;
  spec: Record<string, unknown>;
  options: Record<string, unknown>;
  createdBy: string;
  now: number;
};

export function insertBuildStatement(db: D1Database, b: NewBuild): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO builds (id, server_id, org_id, status, spec, options, log, created_by, created_at)
       VALUES (?, ?, ?, 'queued', ?, ?, '[]', ?, ?)`,
    )
    .bind(
      b.id,
      b.serverId,
      b.orgId,
      JSON.stringify(b.spec),
      JSON.stringify(b.options),
      b.createdBy,
      b.now,
    );
}

/** Status and log so far (the Durable Object writes through at each step). */
export function updateBuildStatement(
  db: D1Database,
  u: {
    id: string;
    status: Build['status'];
    log: unknown[];
    version?: number | null;
    error?: string | null;
    finishedAt?: number | null;
  },
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE builds SET status = ?, log = ?, version = COALESCE(?, version), error = ?,
         finished_at = ? WHERE id = ?`,
    )
    .bind(
      u.status,
      JSON.stringify(u.log),
      u.version ?? null,
      u.error ?? null,
      u.finishedAt ?? null,
      u.id,
    );
}

export async function findBuild(db: D1Database, id: string): Promise<Build | undefined> {
  const row = await db.prepare('SELECT * FROM builds WHERE id = ?').bind(id).first<BuildRow>();
  return row ? toBuild(row) : undefined;
}

/** A server's builds, newest first, without spec and log (they can be large). */
export async function listBuilds(db: D1Database, serverId: string, limit = 50) {
  const { results } = await db
    .prepare(
      `SELECT id, server_id, org_id, status, '{}' AS spec, options, NULL AS log, version, error,
         created_by, created_at, finished_at
       FROM builds WHERE server_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .bind(serverId, limit)
    .all<BuildRow>();
  return results.map((r) => {
    const { spec: _spec, log: _log, ...rest } = toBuild(r);
    return rest;
  });
}
