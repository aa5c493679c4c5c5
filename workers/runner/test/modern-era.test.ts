// MCP 2026-07-28 on the same URL as the 2025 sessions, from the same ServerSpec: stateless,
// server/discover, the same bearer, scope, egress, secret and audit rules, errors with the
// request's id and the codes the revision gives them.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { modernFetch, responseOf, MODERN_VERSION } from './support/mcp';
import { downstreamRequests, publishWeather, type Seeded } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;

beforeAll(async () => {
  server = await publishWeather('modern', {
    apiKey: 'sk_modern_secret_5512',
    addCity: 'modern_add_city',
  });
  slug = server.slug;
});

describe('the 2026-07-28 era', () => {
  it('answers server/discover without a session, offering 2026-07-28', async () => {
    const token = await mintToken(slug);
    const res = await modernFetch(slug, 'server/discover', {}, { token, id: 'd1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    const msg = await responseOf(res);
    expect(msg.id).toBe('d1');
    expect(msg.result?.supportedVersions).toContain(MODERN_VERSION);
    expect(msg.result?.capabilities).toMatchObject({ tools: {} });
  });

  it('lists only the tools the token scopes allow, with resultType complete', async () => {
    const token = await mintToken(slug, { scope: 'mcp:read' });
    const msg = await responseOf(await modernFetch(slug, 'tools/list', {}, { token }));
    expect(msg.result?.resultType).toBe('complete');
    expect((msg.result?.tools as { name: string }[]).map((t) => t.name)).toEqual(['get_forecast']);
  });

  it('calls a tool with its secret, reaching the downstream, and audits the call', async () => {
    const token = await mintToken(slug, { sub: 'usr_modern', jti: 'jti-modern-1' });
    const res = await modernFetch(
      slug,
      'tools/call',
      { name: 'get_forecast', arguments: { city: 'Modernville' } },
      { token },
    );
    expect(res.status).toBe(200);
    const msg = await responseOf(res);
    expect(msg.result?.isError).toBeFalsy();
    expect(JSON.stringify(msg.result?.content)).toContain('Modernville');
    const [call] = await downstreamRequests('Modernville');
    expect(call?.headers.authorization).toBe('Bearer sk_modern_secret_5512');
    await new Promise((r) => setTimeout(r, 100));
    const row = await env.DB.prepare(
      `SELECT actor, metadata FROM audit_events WHERE action = 'tool.call' AND resource = ?
       ORDER BY rowid DESC LIMIT 1`,
    )
      .bind(server.id)
      .first<{ actor: string; metadata: string }>();
    expect(JSON.parse(row!.metadata)).toMatchObject({
      tool: 'get_forecast',
      sub: 'usr_modern',
      jti: 'jti-modern-1',
      outcome: 'ok',
    });
  });

  it('refuses a call without the tool scope with 403 insufficient_scope and the request id', async () => {
    const token = await mintToken(slug, { scope: 'mcp:read' });
    const res = await modernFetch(
      slug,
      'tools/call',
      { name: 'add_city', arguments: { city: 'X' } },
      { token, id: 41 },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(await res.json()).toMatchObject({ id: 41, error: { code: -32003 } });
  });

  it('answers 401 with the PRM challenge before reading a modern request without a token', async () => {
    const res = await modernFetch(slug, 'tools/list');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });

  it('answers an Mcp-Method header that does not match the body with -32020 and the id', async () => {
    const token = await mintToken(slug);
    const res = await modernFetch(
      slug,
      'tools/list',
      {},
      { token, id: 7, headers: { 'mcp-method': 'prompts/list' } },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ id: 7, error: { code: -32020 } });
  });

  it('answers an unknown method with -32601 and the id', async () => {
    const token = await mintToken(slug);
    const msg = await responseOf(await modernFetch(slug, 'nope/nothing', {}, { token, id: 'x9' }));
    expect(msg).toMatchObject({ id: 'x9', error: { code: -32601 } });
  });

  it('answers invalid tool arguments with -32602 and the id', async () => {
    const token = await mintToken(slug);
    const msg = await responseOf(
      await modernFetch(
        slug,
        'tools/call',
        { name: 'get_forecast', arguments: { city: 5 } },
        { token, id: 12 },
      ),
    );
    expect(msg).toMatchObject({ id: 12, error: { code: -32602 } });
  });
});
