// Link 5: per-tool scopes on tools/call (DESIGN §6), and per-primitive scopes on resources/read
// and prompts/get (primitives/required-scopes.ts). A valid token lacking them gets 403
// insufficient_scope here, before any session or server instance runs (MCP 2025-11-25
// authorization §Scope challenge handling; RFC 6750 §3.1). The lists hide such entries instead
// (mcp-server.ts, primitives/).
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { toolScopes } from '../../../../lib/spec/server-spec';
import { hasScopes } from '../bearer';
import { recordCall } from '../metrics/call-metrics';
import { JsonRpcError } from '../json-rpc-error';
import { calledTool } from '../modes/called-tool';
import { primitiveScopeNeed, type ScopeNeed } from '../primitives/required-scopes';
import { bearerChallenge } from '../protected-resource-metadata';
import type { McpEnv } from './mcp-env';
import { noteForbidden } from '../telemetry/connection-telemetry';

/**
 * The `scope` of an insufficient_scope challenge: what the token has plus what the call needs.
 * MCP 2025-11-25 authorization §Scope challenge handling lets the server choose; clients (the SDK
 * 1.x among them) re-authorize with exactly this value, so naming only the missing scope would
 * hand them a token that lost `mcp:read` — and the next tools/list would step up again.
 */
export function stepUpScope(granted: readonly string[], needed: readonly string[]): string {
  return [...new Set([...granted, ...needed])].join(' ');
}

export const scopeCheck = createMiddleware<McpEnv>(async (c, next) => {
  const message = c.get('message');
  if (!message) return next();
  const server = c.get('server');
  const params = (message.body as { params?: { name?: unknown; uri?: unknown } }).params;
  let need: (ScopeNeed & { label: string }) | undefined;
  if (message.method === 'tools/call') {
    const tool = calledTool(server.spec, params);
    if (tool) need = { scopes: toolScopes(tool), what: `tool ${tool.name}`, label: tool.name };
  } else {
    const p = primitiveScopeNeed(server.spec, message.method, params);
    if (p) need = { ...p, label: p.what };
  }
  if (
    need &&
    message.method === 'tools/call' &&
    !hasScopes(c.get('principal').scopes, need.scopes)
  ) {
    countScopeRefusal(c, need.label);
  }
  if (need && !hasScopes(c.get('principal').scopes, need.scopes)) {
    const needed = need.scopes.join(' ');
    noteForbidden(c.env, c.req.raw, server, c.get('principal'), needed);
    throw new JsonRpcError(403, -32003, `The token lacks scope ${needed} for ${need.label}`, {
      id: message.id,
      headers: {
        'www-authenticate': bearerChallenge(c.env, server.path, {
          error: 'insufficient_scope',
          scope: stepUpScope(c.get('principal').scopes, need.scopes),
          description: `${need.what} requires ${needed}`,
        }),
      },
    });
  }
  await next();
});

/** A refused tools/call still counts, as a `scope_refused` error with no latency sample. */
function countScopeRefusal(c: Context<McpEnv>, tool: string): void {
  const server = c.get('server');
  recordCall(
    { env: c.env, waitUntil: (p) => c.executionCtx.waitUntil(p) },
    {
      serverId: server.id,
      version: server.version,
      tool,
      clientId: c.get('principal').clientId,
      error: 'scope_refused',
      latencyMs: null,
    },
  );
}
