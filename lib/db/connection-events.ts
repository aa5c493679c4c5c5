// The one writer of connection_events (docs/observability.md "Connection recorder"), for the auth
// Worker and the runner alike. A step without a server (the AS's metadata, registration, an
// authorization request naming an unknown resource) is attributed in the same INSERT: to the
// server of the latest step of the same client within ATTRIBUTION_WINDOW_MS, else of the same
// requester (address + user agent hash). Detail must never hold a token, code, verifier, secret
// or `state`.
import type { ConnectionStep } from '../api/connection-attempts';
import { newTimeOrderedId } from '../ids';

/** Steps of one attempt are at most this far apart: grouping and attribution both use it. */
export const ATTRIBUTION_WINDOW_MS = 10 * 60_000;
/** Records are kept this long, then swept. */
export const CONNECTION_EVENT_TTL_MS = 7 * 86_400_000;

export type ConnectionEventInput = {
  step: ConnectionStep;
  ok: boolean;
  detail: Record<string, string | number | boolean | null | string[]>;
  serverId?: string | null | undefined;
  clientId?: string | null | undefined;
  requester?: string | null | undefined;
  attemptKey?: string | null | undefined;
  grantId?: string | null | undefined;
  now?: number | undefined;
};

type Preparer<S> = { prepare(query: string): { bind(...values: unknown[]): S } };

/** `guard`: an SQL query that must return a row for the insert to happen (a batch's CAS won). */
export function connectionEventStatement<S>(
  db: Preparer<S>,
  e: ConnectionEventInput,
  guard?: { sql: string; args: unknown[] },
): S {
  const at = e.now ?? Date.now();
  const since = at - ATTRIBUTION_WINDOW_MS;
  return db
    .prepare(
      `INSERT INTO connection_events (id, server_id, client_id, requester, attempt_key, grant_id,
         step, ok, detail, at)
       SELECT ?1, coalesce(?2,
         (SELECT server_id FROM connection_events WHERE ?3 IS NOT NULL AND client_id = ?3
            AND server_id IS NOT NULL AND at > ?11 ORDER BY at DESC LIMIT 1),
         (SELECT server_id FROM connection_events WHERE ?4 IS NOT NULL AND requester = ?4
            AND server_id IS NOT NULL AND at > ?11 ORDER BY at DESC LIMIT 1)),
         ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10${guard ? ` WHERE EXISTS (${guard.sql})` : ''}`,
    )
    .bind(
      newTimeOrderedId('cev', at),
      e.serverId ?? null,
      e.clientId ?? null,
      e.requester ?? null,
      e.attemptKey ?? null,
      e.grantId ?? null,
      e.step,
      e.ok ? 1 : 0,
      JSON.stringify(e.detail),
      at,
      since,
      ...(guard?.args ?? []),
    );
}

/** The sweep: records older than CONNECTION_EVENT_TTL_MS. */
export function sweepConnectionEventsStatement<S>(db: Preparer<S>, now = Date.now()): S {
  return db
    .prepare('DELETE FROM connection_events WHERE at < ?')
    .bind(now - CONNECTION_EVENT_TTL_MS);
}
