// builds: one row per build of a server, kept after the build's Durable Object is done so the log
// stays readable (GET /v1/builds/:id). `options` never holds secret values.
import { desc, eq, getTableColumns } from 'drizzle-orm';
import { type Build, builds } from '../../../../lib/db/schema';
import { orm } from './orm';

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
  return orm(db).select().from(builds).where(eq(builds.id, id)).get();
}

/** A server's builds, newest first, without spec and log (they can be large). */
export async function listBuilds(
  db: D1Database,
  serverId: string,
  limit = 50,
): Promise<Omit<Build, 'spec' | 'log'>[]> {
  const { spec: _spec, log: _log, ...columns } = getTableColumns(builds);
  return orm(db)
    .select(columns)
    .from(builds)
    .where(eq(builds.serverId, serverId))
    .orderBy(desc(builds.createdAt), desc(builds.id))
    .limit(limit)
    .all();
}
