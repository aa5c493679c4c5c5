// The runner's `tool.call` and `resource.read` events, written by the platform's one audit writer (lib/db/audit.ts).
import { auditStatement } from '../../../../lib/db/audit';

export type ToolCallEvent = {
  orgId: string;
  serverId: string;
  sub: string;
  metadata: Record<string, unknown>;
  now?: number;
  action?: 'tool.call' | 'resource.read';
};

export function toolCallAuditStatement(db: D1Database, e: ToolCallEvent): D1PreparedStatement {
  return auditStatement(db, {
    action: e.action ?? 'tool.call',
    orgId: e.orgId,
    actor: e.sub,
    resource: e.serverId,
    metadata: e.metadata,
    now: e.now,
  });
}
