// One audit row per tools/call and resources/read, written off the response path (waitUntil), in
// the isolate's next batch (audit-batch.ts), and best effort: a failed write is logged by event
// name, and never fails the call it records.
import type { Principal } from './bearer';
import type { ServedServer, ServerDeps } from './mcp-server';
import { enqueueAudit } from './audit-batch';

/** What was called: a tool (named in the row and in a failed write's log line), or a resource read. */
export type AuditedCall = { action: 'tool.call'; tool: string } | { action: 'resource.read' };

export function auditCall(
  deps: ServerDeps,
  served: ServedServer,
  principal: Principal,
  call: AuditedCall,
  metadata: Record<string, unknown>,
): void {
  const tool = call.action === 'tool.call' ? { tool: call.tool } : undefined;
  enqueueAudit(deps, {
    action: call.action,
    orgId: served.orgId,
    serverId: served.serverId,
    sub: principal.sub,
    metadata: {
      server: served.slug,
      version: served.version,
      ...(served.toolset ? { toolset: served.toolset } : {}),
      ...tool,
      sub: principal.sub,
      client_id: principal.clientId,
      jti: principal.jti,
      ...metadata,
    },
  });
}
