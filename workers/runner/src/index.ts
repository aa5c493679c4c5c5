// The runner Worker: every hosted MCP server at {RUNNER_ORIGIN}/{slug}/mcp (DESIGN §3, §6).
// The MCP endpoint is one chain whose order is the security design: server lookup → CORS
// (preflights answered before any token is asked for) → bearer token (401) → Origin (403) → the
// message → scope for tools/call (403) → era → session or stateless handler. Every link throws
// JsonRpcError, which renders itself.
import { Hono } from 'hono';
import { bearerAuth } from './chain/bearer-auth';
import { corsLink } from './chain/cors';
import { eraHandler } from './chain/era';
import type { McpEnv } from './chain/mcp-env';
import { mcpMessage } from './chain/mcp-message';
import { originCheck } from './chain/origin';
import { scopeCheck } from './chain/scope';
import { serverLookup, unknownServer } from './chain/server-lookup';
import { internalError, JsonRpcError } from './json-rpc-error';
import { publicPreflightResponse } from './cors';
import { protectedResourceMetadata, rootMetadataAnswer } from './protected-resource-metadata';
import { resolveServer } from './server-cache';

const app = new Hono<McpEnv>();

app.get('/api/health', async (c) => {
  let d1 = true;
  try {
    await c.env.DB.prepare('SELECT 1 AS one FROM servers LIMIT 1').all();
  } catch {
    d1 = false;
  }
  return c.json({ ok: d1, service: 'moat-runner', checks: { d1: { ok: d1 } } }, d1 ? 200 : 503, {
    'cache-control': 'no-store',
  });
});

// RFC 9728 §3.1 path-inserted location, and the resource-relative one in DESIGN §3.
const metadata = async (c: { env: Env; req: { param: (k: 'slug') => string } }) => {
  const server = await resolveServer(c.env, c.req.param('slug'));
  if (!server) {
    const res = unknownServer();
    res.headers.set('access-control-allow-origin', '*');
    return res;
  }
  return Response.json(protectedResourceMetadata(c.env, server), {
    headers: { 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*' },
  });
};
app.get('/.well-known/oauth-protected-resource/:slug/mcp', (c) => metadata(c));
app.get('/:slug/.well-known/oauth-protected-resource', (c) => metadata(c));
app.get('/.well-known/oauth-protected-resource', () => rootMetadataAnswer());
// Browsers preflight these: SDK clients send MCP-Protocol-Version with discovery requests.
for (const path of [
  '/.well-known/oauth-protected-resource/:slug/mcp',
  '/:slug/.well-known/oauth-protected-resource',
  '/.well-known/oauth-protected-resource',
]) {
  app.options(path, () => publicPreflightResponse());
}

app.all(
  '/:slug/mcp',
  serverLookup,
  corsLink,
  bearerAuth,
  originCheck,
  mcpMessage,
  scopeCheck,
  eraHandler,
);

app.notFound(() => unknownServer());
app.onError((err, c) => {
  if (err instanceof JsonRpcError) return err.getResponse();
  console.error('runner error', { name: err.name, message: err.message });
  return internalError(c.var.message?.id ?? null).getResponse();
});

export default app satisfies ExportedHandler<Env>;
export { McpSession } from './session';
export { PrincipalSessions } from './principal-sessions';
export { BuildTools } from './build-tools';
export { ConnectionRefresh } from './connections/connection-refresh';
