import { Hono } from 'hono';
import { DurableObject } from 'cloudflare:workers';

const app = new Hono<{ Bindings: Env }>();

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

app.notFound((c) =>
  c.json({ error: { code: 'not_found', message: 'No MCP server at this URL.' } }, 404),
);

export default app satisfies ExportedHandler<Env>;

/** One MCP session (issue: hosted MCP servers). Placeholder until the runner lands. */
export class McpSession extends DurableObject<Env> {}
