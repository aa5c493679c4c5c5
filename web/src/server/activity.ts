// Calls in the last 24 h and the last failed call per server, from the audit log's tool.call
// events (the runner writes one per call: resource = server id, metadata.outcome/status/tool).
import type { AuditPage } from '../../../lib/api/audit';
import { api } from '../api';

export type Activity = { calls: number; lastError?: { message: string; at: number } };

const PAGES = 10; // at most 2,000 events per look-up

/** The runner's tool.call metadata (workers/runner/src/mcp-server.ts). */
type ToolCallMetadata = { tool?: string; outcome?: string; status?: number };

export async function serverActivity(now = Date.now()): Promise<Map<string, Activity>> {
  const out = new Map<string, Activity>();
  let cursor: string | undefined;
  for (let i = 0; i < PAGES; i++) {
    const q = new URLSearchParams({
      action: 'tool.call',
      since: String(now - 86_400_000),
      limit: '200',
    });
    if (cursor) q.set('cursor', cursor);
    const page = await api<AuditPage>(`/v1/audit?${q}`);
    for (const e of page.events) {
      if (!e.resource) continue;
      const a = out.get(e.resource) ?? { calls: 0 };
      a.calls++;
      const m = (e.metadata ?? {}) as ToolCallMetadata;
      // Events come newest first: the first failure seen is the latest.
      if (!a.lastError && m.outcome && m.outcome !== 'ok') {
        a.lastError = {
          message: `${m.tool ?? 'tool'}: ${m.outcome}${m.status ? ` (HTTP ${m.status})` : ''}`,
          at: e.ts,
        };
      }
      out.set(e.resource, a);
    }
    cursor = page.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return out;
}
