// Link 5: per-tool scopes on tools/call (DESIGN §6). A valid token lacking a tool's scope gets
// 403 insufficient_scope here, before any session or server instance runs (MCP 2025-11-25
// authorization §Scope challenge handling; RFC 6750 §3.1). tools/list hides such tools instead
// (mcp-server.ts).
import { createMiddleware } from 'hono/factory';
import { toolScopes } from '../../../../lib/spec/server-spec';
import { hasScopes } from '../bearer';
import { JsonRpcError } from '../json-rpc-error';
import { bearerChallenge } from '../protected-resource-metadata';
import type { McpEnv } from './mcp-env';

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
  if (message?.method === 'tools/call') {
    const server = c.get('server');
    const name = (message.body as { params?: { name?: unknown } }).params?.name;
    const tool = server.spec.tools.find((t) => t.name === name);
    const needed = tool ? toolScopes(tool) : [];
    if (tool && !hasScopes(c.get('principal').scopes, needed)) {
      throw new JsonRpcError(
        403,
        -32003,
        `The token lacks scope ${needed.join(' ')} for ${tool.name}`,
        {
          id: message.id,
          headers: {
            'www-authenticate': bearerChallenge(c.env, server.slug, {
              error: 'insufficient_scope',
              scope: stepUpScope(c.get('principal').scopes, needed),
              description: `tool ${tool.name} requires ${needed.join(' ')}`,
            }),
          },
        },
      );
    }
  }
  await next();
});
