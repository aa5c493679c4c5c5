// Link 1: `/{slug}/mcp` names a published server, or nothing is answered about it but 404.
import { createMiddleware } from 'hono/factory';
import { resolveServer } from '../server-cache';
import type { McpEnv } from './mcp-env';

export const unknownServer = () =>
  Response.json(
    { error: { code: 'not_found', message: 'No MCP server at this URL.' } },
    { status: 404, headers: { 'cache-control': 'no-store' } },
  );

export const serverLookup = createMiddleware<McpEnv>(async (c, next) => {
  const server = await resolveServer(c.env, c.req.param('slug') ?? '');
  if (!server) return unknownServer();
  c.set('server', server);
  await next();
});
