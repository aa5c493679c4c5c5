// The chain's bearer link alone (src/chain/bearer-auth.ts), with the server already resolved (its
// lookup needs D1 too), for tests that break one binding the bearer check reads: a ping past the
// link answers `reached`.
import { env } from 'cloudflare:test';
import { Hono } from 'hono';
import { bearerAuth } from '../../src/chain/bearer-auth';
import type { McpEnv } from '../../src/chain/mcp-env';
import { resolveServer } from '../../src/server-cache';
import { mcpUrl, PROTOCOL_VERSION } from './mcp';

/** A POSTed ping to `slug` with `token`, through the bearer link alone, with `bindings` swapped in. */
export async function throughBearerLink(
  slug: string,
  token: string,
  bindings: Partial<Env>,
): Promise<Response> {
  const hosted = (await resolveServer(env, slug))!;
  const chain = new Hono<McpEnv>().post(
    '/:slug/mcp',
    async (c, next) => {
      c.set('server', hosted);
      await next();
    },
    bearerAuth,
    (c) => c.text('reached'),
  );
  const req = new Request(mcpUrl(slug), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': PROTOCOL_VERSION,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  return chain.request(req, undefined, { ...env, ...bindings });
}
