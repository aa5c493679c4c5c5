// connection_flows: provider authorizations in flight (docs/connections.md "The flow"). Keyed by
// the SHA-256 of the `state` sent to the provider; claimed once with a compare-and-set on
// `used_at`, so a replayed callback finds nothing to claim (RFC 9700 §4.7, §2.1).
import type { Envelope } from '../../../../lib/crypto/envelope';
import type { ConnectionFlow } from '../../../../lib/db/schema';

export type NewFlow = {
  stateHash: string;
  userId: string;
  serverId: string;
  name: string;
  codeVerifier: Envelope;
  resume: Record<string, unknown> | null;
  createdAt: number;
  expiresAt: number;
};

export function insertFlowStatement(db: D1Database, f: NewFlow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO connection_flows (state_hash, user_id, server_id, name, code_verifier, resume,
         expires_at, used_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
    )
    .bind(
      f.stateHash,
      f.userId,
      f.serverId,
      f.name,
      JSON.stringify(f.codeVerifier),
      f.resume === null ? null : JSON.stringify(f.resume),
      f.expiresAt,
      f.createdAt,
    );
}

/** Flows past their life plus a day are of no use, even as evidence of a replay. */
export function purgeFlowsStatement(db: D1Database, now: number): D1PreparedStatement {
  return db.prepare('DELETE FROM connection_flows WHERE expires_at < ?').bind(now - 86_400_000);
}

type FlowRow = {
  state_hash: string;
  user_id: string;
  server_id: string;
  name: string;
  code_verifier: string;
  resume: string | null;
  expires_at: number;
  used_at: number | null;
  created_at: number;
};

/** Marks the flow used and answers it, or undefined when it is unknown or was already used. */
export async function claimFlow(
  db: D1Database,
  stateHash: string,
  now: number,
): Promise<ConnectionFlow | undefined> {
  const row = await db
    .prepare(
      `UPDATE connection_flows SET used_at = ? WHERE state_hash = ? AND used_at IS NULL
       RETURNING *`,
    )
    .bind(now, stateHash)
    .first<FlowRow>();
  if (!row) return undefined;
  return {
    stateHash: row.state_hash,
    userId: row.user_id,
    serverId: row.server_id,
    name: row.name,
    codeVerifier: JSON.parse(row.code_verifier) as ConnectionFlow['codeVerifier'],
    resume: row.resume === null ? null : (JSON.parse(row.resume) as Record<string, unknown>),
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    createdAt: row.created_at,
  };
}
