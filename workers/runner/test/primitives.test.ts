import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { initialize, mcpFetch, PROTOCOL_VERSION, responseOf, rpc } from './support/mcp';
import {
  downstream,
  downstreamRequests,
  publishServer,
  setSecret,
  uniqueSlug,
  weatherSpec,
  type Seeded,
} from './support/servers';
import { mintToken } from './support/tokens';

const SECRET = 'sk_primitives_value_7f3a';
let server: Seeded;
let slug: string;

beforeAll(async () => {
  slug = uniqueSlug('prim');
  server = await publishServer(
    weatherSpec(slug, {
      resources: [
        { uri: 'docs://readme', name: 'readme', mimeType: 'text/markdown', text: '# Hello' },
        { uri: 'docs://logo', name: 'logo', mimeType: 'image/png', blob: 'iVBORw0KGgo=' },
        {
          uri: 'docs://payroll',
          name: 'payroll',
          mimeType: 'text/plain',
          text: 'secret numbers',
          scopes: ['mcp:hr'],
        },
      ],
      resourceTemplates: [
        {
          uriTemplate: 'weather://forecast/{city}',
          name: 'forecast',
          mimeType: 'application/json',
          http: {
            method: 'GET',
            url: downstream('/forecast?city={city}&tag=prim'),
            headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
          },
        },
        {
          uriTemplate: 'echo://{word}',
          name: 'echo',
          mimeType: 'application/json',
          http: {
            method: 'GET',
            url: downstream('/echo?w={word}&tag=prim-echo'),
            headers: { 'x-key': '{{secrets.API_KEY}}' },
          },
        },
        {
          uriTemplate: 'missing://{id}',
          name: 'missing',
          mimeType: 'application/json',
          http: { method: 'GET', url: downstream('/status?code=404&id={id}') },
        },
        {
          uriTemplate: 'hr://people/{id}',
          name: 'people',
          mimeType: 'application/json',
          scopes: ['mcp:hr'],
          http: { method: 'GET', url: downstream('/echo?person={id}&tag=prim-hr') },
        },
      ],
      prompts: [
        {
          name: 'plan_trip',
          title: 'Plan a trip',
          description: 'Plans a trip around the weather',
          arguments: [
            { name: 'city', description: 'Where to', required: true },
            { name: 'days', description: 'How long' },
          ],
          messages: [
            { role: 'user', text: 'Plan {days} days in {city}. Keep {"json": true} and {other}.' },
            { role: 'assistant', text: 'I will check the forecast for {city}.' },
          ],
        },
        {
          name: 'review_salaries',
          messages: [{ role: 'user', text: 'Review them.' }],
          scopes: ['mcp:hr'],
        },
      ],
    }),
  );
  await setSecret(server, 'API_KEY', SECRET);
});

async function session(scope = 'mcp:read') {
  const token = await mintToken(slug, { scope });
  const sessionId = await initialize(slug, token);
  const call = (method: string, params: Record<string, unknown> = {}) =>
    rpc(slug, token, sessionId, method, params);
  return { token, sessionId, call };
}

async function capabilitiesOf(target: string): Promise<Record<string, unknown>> {
  const res = await mcpFetch(
    target,
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'test', version: '1' },
      },
    },
    { token: await mintToken(target) },
  );
  return (await responseOf(res)).result!.capabilities as Record<string, unknown>;
}

const names = (list: unknown) => (list as { name: string }[]).map((x) => x.name);

describe('resources and prompts (MCP 2025-11-25 session)', () => {
  it('advertises resources and prompts only when the spec declares them', async () => {
    expect(await capabilitiesOf(slug)).toMatchObject({ resources: {}, prompts: {}, tools: {} });
    const plain = uniqueSlug('plain');
    await publishServer(weatherSpec(plain));
    const caps = await capabilitiesOf(plain);
    expect(caps).toHaveProperty('tools');
    expect(caps).not.toHaveProperty('resources');
    expect(caps).not.toHaveProperty('prompts');
  });

  it('lists only the resources, templates and prompts the token scopes allow', async () => {
    const reader = await session('mcp:read');
    const listed = (await reader.call('resources/list')).message.result!;
    expect(names(listed.resources)).toEqual(['readme', 'logo']);
    expect(listed.resources).toContainEqual({
      uri: 'docs://readme',
      name: 'readme',
      mimeType: 'text/markdown',
      size: 7,
    });
    const templates = (await reader.call('resources/templates/list')).message.result!;
    expect(templates.resourceTemplates).toContainEqual({
      uriTemplate: 'weather://forecast/{city}',
      name: 'forecast',
      mimeType: 'application/json',
    });
    expect(names(templates.resourceTemplates)).not.toContain('people');
    expect(names((await reader.call('prompts/list')).message.result!.prompts)).toEqual([
      'plan_trip',
    ]);

    const hr = await session('mcp:read mcp:hr');
    expect(names((await hr.call('resources/list')).message.result!.resources)).toContain('payroll');
    expect(names((await hr.call('prompts/list')).message.result!.prompts)).toEqual([
      'plan_trip',
      'review_salaries',
    ]);
  });

  it('reads a static text resource and a base64 blob', async () => {
    const { call } = await session();
    expect((await call('resources/read', { uri: 'docs://readme' })).message.result).toEqual({
      contents: [{ uri: 'docs://readme', mimeType: 'text/markdown', text: '# Hello' }],
    });
    expect((await call('resources/read', { uri: 'docs://logo' })).message.result).toEqual({
      contents: [{ uri: 'docs://logo', mimeType: 'image/png', blob: 'iVBORw0KGgo=' }],
    });
  });

  it("reads a template through its HTTP call, with the URI's value and the secret injected", async () => {
    const { call } = await session();
    const uri = 'weather://forecast/New%20York';
    const { message } = await call('resources/read', { uri });
    expect(message.result).toEqual({
      contents: [
        {
          uri,
          mimeType: 'application/json',
          text: JSON.stringify({ city: 'New York', days: [{ tempC: 21 }] }),
        },
      ],
    });
    const seen = await downstreamRequests('tag=prim');
    expect(seen.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('never returns a secret the downstream echoes', async () => {
    const { call } = await session();
    const { message } = await call('resources/read', { uri: 'echo://hi' });
    const text = (message.result!.contents as { text: string }[])[0]!.text;
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(SECRET);
  });

  it('answers an unknown URI and a downstream 404 with -32602 naming the uri', async () => {
    const { call } = await session();
    for (const uri of ['docs://nope', 'missing://42']) {
      const { message } = await call('resources/read', { uri });
      expect(message.error).toMatchObject({ code: -32602, data: { uri } });
    }
  });

  it('refuses a read the token lacks scope for with 403 insufficient_scope, sending nothing', async () => {
    const { call } = await session('mcp:read');
    const before = (await downstreamRequests('prim-hr')).length;
    for (const [uri, what] of [
      ['docs://payroll', 'resource payroll'],
      ['hr://people/7', 'resource template people'],
    ] as const) {
      const { res } = await call('resources/read', { uri });
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toBe(
        `Bearer resource_metadata="${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${slug}/mcp", error="insufficient_scope", error_description="${what} requires mcp:hr", scope="mcp:hr"`,
      );
      expect(await res.json()).toMatchObject({ error: { code: -32003 } });
    }
    expect(await downstreamRequests('prim-hr')).toHaveLength(before);
  });

  it('gets a prompt with its arguments filled and other braces left as written', async () => {
    const { call } = await session();
    const { message } = await call('prompts/get', {
      name: 'plan_trip',
      arguments: { city: 'Oslo', other: 'x' },
    });
    expect(message.result).toEqual({
      description: 'Plans a trip around the weather',
      messages: [
        {
          role: 'user',
          content: { type: 'text', text: 'Plan  days in Oslo. Keep {"json": true} and {other}.' },
        },
        {
          role: 'assistant',
          content: { type: 'text', text: 'I will check the forecast for Oslo.' },
        },
      ],
    });
  });

  it('answers a missing required argument or an unknown prompt with -32602', async () => {
    const { call } = await session();
    const missing = await call('prompts/get', { name: 'plan_trip', arguments: { days: '3' } });
    expect(missing.message.error).toMatchObject({
      code: -32602,
      message: expect.stringContaining('Missing required argument for prompt plan_trip: city'),
    });
    const unknown = await call('prompts/get', { name: 'nope' });
    expect(unknown.message.error).toMatchObject({ code: -32602 });
  });

  it('refuses a prompt the token lacks scope for with 403 insufficient_scope', async () => {
    const { call } = await session('mcp:read');
    const { res } = await call('prompts/get', { name: 'review_salaries' });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('scope="mcp:hr"');
    const hr = await session('mcp:hr');
    expect((await hr.call('prompts/get', { name: 'review_salaries' })).res.status).toBe(200);
  });

  it('audits resource reads with who, which resource and the downstream, never a secret', async () => {
    const jti = crypto.randomUUID();
    const token = await mintToken(slug, { scope: 'mcp:read', jti });
    const sessionId = await initialize(slug, token);
    await rpc(slug, token, sessionId, 'resources/read', { uri: 'weather://forecast/Audited' });
    await rpc(slug, token, sessionId, 'resources/read', { uri: 'docs://readme' });
    let rows: { actor: string; metadata: string }[] = [];
    for (let i = 0; i < 50 && rows.length < 2; i++) {
      ({ results: rows } = await env.DB.prepare(
        `SELECT actor, metadata FROM audit_events WHERE action = 'resource.read' AND resource = ?
         AND metadata LIKE ?`,
      )
        .bind(server.id, `%${jti}%`)
        .all());
      if (rows.length < 2) await new Promise((r) => setTimeout(r, 20));
    }
    const meta = rows.map((r) => JSON.parse(r.metadata) as Record<string, unknown>);
    expect(meta).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          server: slug,
          resource: 'forecast',
          sub: 'usr_alice',
          client_id: 'cl_test',
          jti,
          outcome: 'ok',
          downstream: { host: new URL(env.DOWNSTREAM_ORIGIN).host, status: 200 },
          arguments: { city: 'Audited' },
        }),
        expect.objectContaining({ resource: 'readme', outcome: 'ok', jti }),
      ]),
    );
    expect(rows.every((r) => r.actor === 'usr_alice')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });
});
