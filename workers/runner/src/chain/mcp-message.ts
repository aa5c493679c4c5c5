// Link 4: the POST body, read once, bounded (mcp-request-body.ts), for the scope check and the
// handler alike. JSON-RPC batches were removed from MCP in 2025-06-18; refusing them also keeps
// the scope check looking at the one message that will run.
import { createMiddleware } from 'hono/factory';
import { JsonRpcError, type JsonRpcId } from '../json-rpc-error';
import { readMcpBody } from '../mcp-request-body';
import type { McpEnv, McpMessage } from './mcp-env';

function messageOf(body: unknown): McpMessage {
  const m = (typeof body === 'object' && body !== null ? body : {}) as {
    id?: unknown;
    method?: unknown;
  };
  const id: JsonRpcId = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : null;
  return { body, id, method: typeof m.method === 'string' ? m.method : undefined };
}

export const mcpMessage = createMiddleware<McpEnv>(async (c, next) => {
  if (c.req.method === 'POST') {
    const body = await readMcpBody(c.req.raw);
    if (Array.isArray(body)) {
      throw new JsonRpcError(400, -32600, 'Invalid Request: JSON-RPC batches are not supported');
    }
    c.set('message', messageOf(body));
  } else {
    c.set('message', undefined);
  }
  await next();
});
