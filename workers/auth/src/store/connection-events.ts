// connection_events (docs/storage.md): the connection recorder's steps. Writes go through the one
// statement in lib/db/connection-events.ts (shared with the runner); reads gather one server's
// steps and the unattributed steps of the same clients and requesters.
import {
  connectionEventStatement,
  sweepConnectionEventsStatement,
  type ConnectionEventInput,
} from '../../../../lib/db/connection-events';
import type { ConnectionEvent } from '../../../../lib/db/schema';
import type { Guard } from './audit';

/** One step, and now and then (1 write in SWEEP_EVERY) the sweep of expired records. */
const SWEEP_EVERY = 50;

export async function insertConnectionEvent(
  db: D1Database,
  e: ConnectionEventInput,
): Promise<void> {
  await db.batch(connectionEventStatements(db, e));
}

/** The same statements, for the batch of the change the step records (only if `guard` holds). */
export function connectionEventStatements(
  db: D1Database,
  e: ConnectionEventInput,
  guard?: Guard,
): D1PreparedStatement[] {
  const statements = [connectionEventStatement(db, e, guard)];
  if (Math.random() * SWEEP_EVERY < 1) statements.push(sweepConnectionEventsStatement(db, e.now));
  return statements;
}

export async function sweepConnectionEvents(db: D1Database, now = Date.now()): Promise<void> {
  await sweepConnectionEventsStatement(db, now).run();
}

type Row = {
  id: string;
  server_id: string | null;
  client_id: string | null;
  requester: string | null;
  attempt_key: string | null;
  grant_id: string | null;
  step: string;
  ok: number;
  detail: string;
  at: number;
};

const toEvent = (r: Row): ConnectionEvent => ({
  id: r.id,
  serverId: r.server_id,
  clientId: r.client_id,
  requester: r.requester,
  attemptKey: r.attempt_key,
  grantId: r.grant_id,
  step: r.step,
  ok: r.ok === 1,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
  at: r.at,
});

/**
 * The server's steps since `since` (newest 2000), plus steps never attributed to any server from
 * the same clients or requesters (an attempt that failed before naming a server it could find).
 */
export async function listServerConnectionEvents(
  db: D1Database,
  serverId: string,
  since: number,
): Promise<ConnectionEvent[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM (SELECT * FROM connection_events WHERE server_id = ?1 AND at > ?2
         ORDER BY at DESC LIMIT 2000)
       UNION ALL
       SELECT * FROM connection_events u WHERE u.server_id IS NULL AND u.at > ?2 AND EXISTS (
         SELECT 1 FROM connection_events s WHERE s.server_id = ?1 AND s.at > ?2
           AND ((u.client_id IS NOT NULL AND s.client_id = u.client_id)
             OR (u.requester IS NOT NULL AND s.requester = u.requester)))`,
    )
    .bind(serverId, since)
    .all<Row>();
  return results.map(toEvent).sort((a, b) => a.at - b.at);
}

/** The names of clients, for attempts. */
export async function clientNames(
  db: D1Database,
  ids: string[],
): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare('SELECT id, name FROM oauth_clients WHERE id IN (SELECT value FROM json_each(?))')
    .bind(JSON.stringify(ids))
    .all<{ id: string; name: string | null }>();
  return new Map(results.map((r) => [r.id, r.name]));
}
