// client_health (docs/storage.md): the runner's half of each (server, client) row — the last
// accepted request and the refusals. Upserts only, so an ejected server can drop them
// (cli/eject-template/src/platform-bindings.ts). The AS writes the token half.
export function acceptedStatement(
  db: D1Database,
  serverId: string,
  clientId: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO client_health (server_id, client_id, last_used_at, recent_401_count)
       VALUES (?1, ?2, ?3, 0)
       ON CONFLICT (server_id, client_id) DO UPDATE SET last_used_at = excluded.last_used_at,
         recent_401_count = 0`,
    )
    .bind(serverId, clientId, now);
}

export function unauthorizedStatement(
  db: D1Database,
  e: { serverId: string; clientId: string; now: number; reason: string; count: number },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO client_health (server_id, client_id, last_401_at, last_401_reason,
         recent_401_count)
       VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (server_id, client_id) DO UPDATE SET last_401_at = excluded.last_401_at,
         last_401_reason = excluded.last_401_reason,
         recent_401_count = recent_401_count + excluded.recent_401_count`,
    )
    .bind(e.serverId, e.clientId, e.now, e.reason, e.count);
}

export function forbiddenStatement(
  db: D1Database,
  e: { serverId: string; clientId: string; now: number; scope: string },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO client_health (server_id, client_id, last_403_at, last_403_scope,
         recent_401_count)
       VALUES (?1, ?2, ?3, ?4, 0)
       ON CONFLICT (server_id, client_id) DO UPDATE SET last_403_at = excluded.last_403_at,
         last_403_scope = excluded.last_403_scope`,
    )
    .bind(e.serverId, e.clientId, e.now, e.scope);
}
