// Search mode (docs/runner.md "Discovery modes") on the synthetic 600-operation OpenAPI document:
// three tools instead of 600, search and describe limited to the caller's scopes, and call_tool
// going through the direct tool path — downstream call, audit naming the real tool, and the same
// 403 insufficient_scope challenge as a direct call — in both protocol eras.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApiToServerSpec } from '../../../lib/openapi/convert';
import type { ServerSpecInput } from '../../../lib/spec/server-spec';
import {
  SYNTHETIC_OPERATION_COUNT,
  syntheticOpenApiText,
} from '../../../test/fixtures/large-openapi';
import { callTool, initialize, modernFetch, responseOf, rpc } from './support/mcp';
import { downstreamRequests, publishServer, uniqueSlug, type Seeded } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;
let spec: ServerSpecInput;

type Found = { tools: { name: string; description: string }[] };

beforeAll(async () => {
  slug = uniqueSlug('large');
  const text = syntheticOpenApiText(env.DOWNSTREAM_ORIGIN);
  const all = await openApiToServerSpec(text);
  const converted = await openApiToServerSpec(text, {
    slug,
    operations: all.operations.map((o) => o.id),
  });
  spec = converted.spec;
  server = await publishServer(spec);
});

const structured = (result: Record<string, unknown> | undefined) =>
  result?.structuredContent as Record<string, unknown>;

describe('search mode on a 600-operation server (2025-11-25 sessions)', () => {
  it('serves all 600 operations behind three tools', async () => {
    expect(spec.tools).toHaveLength(SYNTHETIC_OPERATION_COUNT);
    const token = await mintToken(slug);
    const session = await initialize(slug, token);
    const { message } = await rpc(slug, token, session, 'tools/list');
    const names = (message.result?.tools as { name: string }[]).map((t) => t.name);
    expect(names).toEqual(['search_tools', 'describe_tools', 'call_tool']);
  });

  it('finds the right tool first for a query in plain words', async () => {
    const token = await mintToken(slug);
    const session = await initialize(slug, token);
    const { message } = await callTool(slug, token, session, 'search_tools', {
      query: 'replace thing 42',
      limit: 5,
    });
    const found = structured(message.result) as Found;
    expect(found.tools[0]).toEqual({ name: 'putThing42', description: 'Replace thing 42' });
    expect(found.tools.length).toBeLessThanOrEqual(5);
  });

  it('searches only the tools the token scopes cover', async () => {
    const token = await mintToken(slug, { scope: 'mcp:read' });
    const session = await initialize(slug, token);
    const { message } = await callTool(slug, token, session, 'search_tools', {
      query: 'thing 42',
    });
    const names = (structured(message.result) as Found).tools.map((t) => t.name);
    expect(names[0]).toBe('getThing42');
    expect(names.every((n) => n.startsWith('get'))).toBe(true);
  });

  it('describes tools with their full input schemas and names the unknown ones', async () => {
    const token = await mintToken(slug);
    const session = await initialize(slug, token);
    const { message } = await callTool(slug, token, session, 'describe_tools', {
      names: ['getThing7', 'noSuchTool'],
    });
    const described = structured(message.result) as {
      tools: { name: string; inputSchema: { properties: Record<string, unknown> } }[];
      unknown: string[];
    };
    expect(described.tools).toHaveLength(1);
    expect(described.tools[0]!.name).toBe('getThing7');
    expect(described.tools[0]!.inputSchema.properties).toHaveProperty('id');
    expect(described.unknown).toEqual(['noSuchTool']);
  });

  it('calls the real tool through call_tool, reaching the downstream and auditing the real tool', async () => {
    const token = await mintToken(slug, { sub: 'usr_search', jti: 'jti-search-1' });
    const session = await initialize(slug, token);
    const { message } = await callTool(slug, token, session, 'call_tool', {
      name: 'getThing42',
      arguments: { id: 'search-call-1' },
    });
    expect(message.error).toBeUndefined();
    const [seen] = await downstreamRequests('/things42/search-call-1');
    expect(seen?.method).toBe('GET');
    await new Promise((r) => setTimeout(r, 100));
    const row = await env.DB.prepare(
      `SELECT metadata FROM audit_events WHERE action = 'tool.call' AND resource = ?
       ORDER BY rowid DESC LIMIT 1`,
    )
      .bind(server.id)
      .first<{ metadata: string }>();
    expect(JSON.parse(row!.metadata)).toMatchObject({ tool: 'getThing42', jti: 'jti-search-1' });
  });

  it('checks call_tool arguments against the real tool schema (-32602)', async () => {
    const token = await mintToken(slug);
    const session = await initialize(slug, token);
    const { message } = await callTool(slug, token, session, 'call_tool', {
      name: 'getThing42',
      arguments: { id: 42 },
    });
    expect(message.error?.code).toBe(-32602);
    expect(message.error?.message).toContain('getThing42');
  });

  it('refuses call_tool for a tool the token lacks scope for with the same 403 as a direct call', async () => {
    const token = await mintToken(slug, { scope: 'mcp:read' });
    const session = await initialize(slug, token);
    const direct = await callTool(slug, token, session, 'putThing42', { id: 'x' });
    const viaSearch = await callTool(slug, token, session, 'call_tool', {
      name: 'putThing42',
      arguments: { id: 'x' },
    });
    for (const { res, message } of [direct, viaSearch]) {
      expect(res.status).toBe(403);
      expect(message.error?.code).toBe(-32003);
    }
    const challenge = direct.res.headers.get('www-authenticate');
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="mcp:read mcp:write"');
    expect(viaSearch.res.headers.get('www-authenticate')).toBe(challenge);
    expect(await downstreamRequests('/things42/x')).toEqual([]);
  });
});

describe('search mode on a 600-operation server (2026-07-28 requests)', () => {
  it('lists the three tools and calls the real one through call_tool', async () => {
    const token = await mintToken(slug);
    const list = await responseOf(await modernFetch(slug, 'tools/list', {}, { token }));
    expect((list.result?.tools as { name: string }[]).map((t) => t.name)).toEqual([
      'search_tools',
      'describe_tools',
      'call_tool',
    ]);
    const res = await modernFetch(
      slug,
      'tools/call',
      { name: 'call_tool', arguments: { name: 'getThing9', arguments: { id: 'modern-9' } } },
      { token },
    );
    expect(res.status).toBe(200);
    expect((await responseOf(res)).error).toBeUndefined();
    expect(await downstreamRequests('/things9/modern-9')).toHaveLength(1);
  });

  it('answers 403 insufficient_scope for call_tool of a write tool with a read-only token', async () => {
    const token = await mintToken(slug, { scope: 'mcp:read' });
    const res = await modernFetch(
      slug,
      'tools/call',
      { name: 'call_tool', arguments: { name: 'putThing9', arguments: { id: 'm' } } },
      { token },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });
});

describe('discovery modes at toolset URLs', () => {
  let setSlug: string;
  const at = (toolset: string) => `${env.RUNNER_ORIGIN}/${setSlug}/${toolset}/mcp`;

  beforeAll(async () => {
    setSlug = uniqueSlug('large-sets');
    const text = syntheticOpenApiText(env.DOWNSTREAM_ORIGIN);
    const all = await openApiToServerSpec(text);
    const { spec: withSets } = await openApiToServerSpec(text, {
      slug: setSlug,
      operations: all.operations.map((o) => o.id),
    });
    withSets.toolsets = withSets.toolsets!.map((ts) =>
      ts.name === 'group-6' ? { ...ts, mode: 'code' as const } : ts,
    );
    await publishServer(withSets);
  });

  it('serves a 50-tool toolset in search mode and searches only its tools', async () => {
    const token = await mintToken(setSlug, { aud: at('group-3') });
    const path = `${setSlug}/group-3`;
    const list = await responseOf(await modernFetch(path, 'tools/list', {}, { token }));
    expect((list.result?.tools as { name: string }[]).map((t) => t.name)).toEqual([
      'search_tools',
      'describe_tools',
      'call_tool',
    ]);
    const found = await responseOf(
      await modernFetch(
        path,
        'tools/call',
        { name: 'search_tools', arguments: { query: 'get thing 42', limit: 50 } },
        { token },
      ),
    );
    const names = (structured(found.result) as Found).tools.map((t) => t.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names).not.toContain('getThing42');
    expect(names.every((n) => Number(/\d+$/.exec(n)![0]) % 12 === 3)).toBe(true);
  });

  it("serves a toolset in its own mode: run_code typed with only the toolset's tools", async () => {
    const token = await mintToken(setSlug, { aud: at('group-6') });
    const list = await responseOf(
      await modernFetch(`${setSlug}/group-6`, 'tools/list', {}, { token }),
    );
    const tools = list.result?.tools as { name: string; description: string }[];
    expect(tools.map((t) => t.name)).toEqual(['run_code']);
    expect(tools[0]!.description).toContain('getThing42(args:');
    expect(tools[0]!.description).not.toContain('getThing3(args:');
  });
});
