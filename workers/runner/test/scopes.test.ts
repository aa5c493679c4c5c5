import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { callTool, initialize, mcpFetch, rpc } from './support/mcp';
import { downstreamRequests, publishWeather } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;

beforeAll(async () => {
  ({ slug } = await publishWeather('scopes', { apiKey: 'sk_scopes_value', addCity: 'add_city' }));
});

describe('scopes', () => {
  it('lists only the tools the token scopes allow', async () => {
    const token = await mintToken(slug, { scope: 'mcp:read' });
    const sessionId = await initialize(slug, token);
    const { message } = await rpc(slug, token, sessionId, 'tools/list');
    expect((message.result?.tools as { name: string }[]).map((t) => t.name)).toEqual([
      'get_forecast',
    ]);

    const writer = await mintToken(slug, { scope: 'mcp:read mcp:write' });
    const s2 = await initialize(slug, writer);
    const all = await rpc(slug, writer, s2, 'tools/list');
    expect((all.message.result?.tools as { name: string }[]).map((t) => t.name)).toEqual([
      'get_forecast',
      'add_city',
    ]);
  });

  it('answers a call without the scope with 403 insufficient_scope naming the scopes held plus the missing one', async () => {
    const token = await mintToken(slug, { scope: 'mcp:read' });
    const sessionId = await initialize(slug, token);
    const { res } = await callTool(slug, token, sessionId, 'add_city', { city: 'Oslo' });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${slug}/mcp", error="insufficient_scope", error_description="tool add_city requires mcp:write", scope="mcp:read mcp:write"`,
    );
    expect(await res.json()).toMatchObject({ error: { code: -32003 } });
  });

  it('lets the same call through once the token carries the scope', async () => {
    const token = await mintToken(slug, { scope: 'mcp:write' });
    const sessionId = await initialize(slug, token);
    const { res, message } = await callTool(slug, token, sessionId, 'add_city', { city: 'Oslo' });
    expect(res.status).toBe(200);
    expect(message.result?.isError).toBeUndefined();
  });

  it('refuses a JSON-RPC batch, so a call cannot slip past the scope check inside one', async () => {
    const token = await mintToken(slug, { scope: 'mcp:read' });
    const sessionId = await initialize(slug, token);
    const before = (await downstreamRequests('add_city')).length;
    const res = await mcpFetch(
      slug,
      [
        {
          jsonrpc: '2.0',
          id: 9,
          method: 'tools/call',
          params: { name: 'add_city', arguments: {} },
        },
      ],
      { token, sessionId },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: -32600 } });
    expect(await downstreamRequests('add_city')).toHaveLength(before);
  });
});
