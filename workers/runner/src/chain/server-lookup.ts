// Link 1: `/{slug}/mcp` names a published server, or nothing is answered about it but 404.
// `/{slug}/{toolset}/mcp` names one of its toolsets, served as a server of its own
// (toolset-server.ts); an unknown toolset is the same 404.
import { createMiddleware } from 'hono/factory';
import { resolveServer, type HostedServer } from '../server-cache';
import { toolsetServer } from '../toolset-server';
import type { McpEnv } from './mcp-env';

export const unknownServer = () =>
  Response.json(
    { error: { code: 'not_found', message: 'No MCP server at this URL.' } },
    { status: 404, headers: { 'cache-control': 'no-store' } },
  );

/** The server, or its toolset's view when the URL names a toolset; undefined: 404. */
export async function lookUpServer(
  env: Env,
  slug: string,
  toolset: string | undefined,
): Promise<HostedServer | undefined> {
  const server = await resolveServer(env, slug);
  if (!server || toolset === undefined) return server;
  return toolsetServer(env, server, toolset);
}

export const serverLookup = createMiddleware<McpEnv>(async (c, next) => {
  const server = await lookUpServer(c.env, c.req.param('slug') ?? '', c.req.param('toolset'));
  if (!server) return unknownServer();
  c.set('server', server);
  await next();
});
