// Link 6: the protocol era decides the handler. A request carrying the 2026-07-28 `_meta`
// envelope (or naming a modern revision in MCP-Protocol-Version) is served statelessly; anything
// else — initialize, session traffic with Mcp-Session-Id, GET/DELETE — is 2025-era and goes to
// its McpSession. The SDK's own classifier decides, so the two can never disagree.
import { isLegacyRequest } from '@modelcontextprotocol/server';
import type { Context } from 'hono';
import { legacySession } from './legacy-session';
import type { McpEnv } from './mcp-env';
import { statelessRequest } from './stateless';

export async function eraHandler(c: Context<McpEnv>): Promise<Response> {
  const message = c.get('message');
  const legacy = message
    ? await isLegacyRequest(c.req.raw, message.body)
    : await isLegacyRequest(c.req.raw);
  return legacy ? legacySession(c) : statelessRequest(c);
}
