// The runner appends `tool.call` and `resource.read` events to audit_events (same row shape the
// auth Worker writes).
import { newTimeOrderedId } from '../../../../lib/ids';

export type ToolCallEvent = {
  orgId: string;
  serverId: string;
  sub: string;
  metadata: Record<string, unknown>;
  now?: number;
  action?: 'tool.call' | 'resource.read';
};

export function toolCallAuditStatement(db: D1Database, e: ToolCallEvent): D1PreparedStatement {
  const ts = e.now ?? Date.now();
  return db
    .prepare(
      `INSERT INTO audit_events (id, ts, org_id, actor, action, resource, metadata)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      newTimeOrderedId('evt', ts),
      ts,
      e.orgId,
      e.sub,
      e.action ?? 'tool.call',
      e.serverId,
      JSON.stringify(e.metadata),
    );
}
