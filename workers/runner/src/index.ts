// The runner Worker: every hosted MCP server at {RUNNER_ORIGIN}/{slug}/mcp (DESIGN §3, §6).
import { Hono } from 'hono';
import { handleMcp } from './mcp-endpoint';
import { protectedResourceMetadata } from './protected-resource-metadata';
import { resolveServer } from './server-cache';

const app = new Hono<{ Bindings: Env }>();

const unknownServer = () =>
  Response.json(
    { error: { code: 'not_found', message: 'No MCP server at this URL.' } },
    { status: 404, headers: { 'cache-control': 'no-store' } },
  );

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
  if (!server) return unknownServer();
  return Response.json(protectedResourceMetadata(c.env, server), {
    headers: { 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*' },
  });
};
app.get('/.well-known/oauth-protected-resource/:slug/mcp', (c) => metadata(c));
app.get('/:slug/.well-known/oauth-protected-resource', (c) => metadata(c));

app.all('/:slug/mcp', async (c) => {
  const server = await resolveServer(c.env, c.req.param('slug'));
  if (!server) return unknownServer();
  return handleMcp(c.req.raw, c.env, server);
});

app.notFound(() => unknownServer());
app.onError((err) => {
  console.error('runner error', { name: err.name, message: err.message });
  return Response.json(
    { jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null },
    { status: 500 },
  );
});

export default app satisfies ExportedHandler<Env>;
export { McpSession } from './session';
export { PrincipalSessions } from './principal-sessions';
export { BuildTools } from './build-tools';
