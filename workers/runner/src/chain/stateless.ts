// The 2026-07-28 handler: no session, every request carries its own `_meta` envelope and is
// served by a fresh server instance from the same builder the 2025 sessions use (mcp-server.ts),
// through the SDK's createMcpHandler. `legacy: 'reject'` because 2025 traffic never gets here
// (era.ts); the SDK answers server/discover, checks Mcp-Method/Mcp-Name against the body (-32020)
// and shapes every result for the era. Its SSE answers end once the token is no longer good.
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { Context } from 'hono';
import { stillValid } from '../bearer';
import { authInfoOf, createMcpServer } from '../mcp-server';
import { revocationTiming } from '../revocation-list';
import { guardStream } from '../stream-guard';
import type { McpEnv } from './mcp-env';

export async function statelessRequest(c: Context<McpEnv>): Promise<Response> {
  const { server, principal, message } = c.var;
  const handler = createMcpHandler(
    () =>
      createMcpServer(
        server.spec,
        {
          serverId: server.id,
          orgId: server.orgId,
          slug: server.slug,
          version: server.version,
          ...(server.toolset ? { toolset: server.toolset } : {}),
        },
        { env: c.env, waitUntil: (p) => c.executionCtx.waitUntil(p) },
        'modern',
      ),
    {
      legacy: 'reject',
      onerror: (err) => console.error('mcp request failed', { name: err.name }),
    },
  );
  const res = await handler.fetch(c.req.raw, {
    authInfo: authInfoOf(principal), // the bearer token never reaches the server instance
    ...(message ? { parsedBody: message.body } : {}),
  });
  return guardStream(
    res,
    () => stillValid(c.env, server, principal),
    revocationTiming(c.env).streamCheckMs,
  );
}
