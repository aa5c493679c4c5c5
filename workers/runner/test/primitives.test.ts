import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  initialize,
  INITIALIZE_REQUEST,
  mcpFetch,
  modernFetch,
  MODERN_VERSION,
  PROTOCOL_VERSION,
  responseOf,
  rpc,
  type JsonRpcMessage,
} from './support/mcp';
import {
  downstream,
  downstreamRequests,
  publishServer,
  publishWithApiKey,
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
  server = await publishWithApiKey(
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
          uriTemplate: 'broken://{code}',
          name: 'broken',
          mimeType: 'application/json',
          http: { method: 'GET', url: downstream('/status?code={code}&tag=prim-broken') },
        },
        {
          uriTemplate: 'files://{file}',
          name: 'files',
          mimeType: 'text/plain',
          http: { method: 'GET', url: downstream('/files/{file}/raw?tag=prim-files') },
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
    SECRET,
  );
});

type Era = typeof PROTOCOL_VERSION | typeof MODERN_VERSION;
type Call = (
  method: string,
  params?: Record<string, unknown>,
) => Promise<{ res: Response; message: JsonRpcMessage }>;

/** What the era adds to every result (2026-07-28: resultType, cache hints), checked and removed. */
function plain(era: Era, message: JsonRpcMessage): JsonRpcMessage {
  if (era === PROTOCOL_VERSION || !message.result) return message;
  const { resultType, ttlMs: _t, cacheScope: _c, _meta: _m, ...rest } = message.result;
  expect(resultType).toBe('complete');
  return { ...message, result: rest };
}

/** A client of one era: a 2025-11-25 session, or stateless 2026-07-28 requests. */
async function session(era: Era, scope = 'mcp:read', jti?: string) {
  const token = await mintToken(slug, { scope, ...(jti ? { jti } : {}) });
  if (era === PROTOCOL_VERSION) {
    const sessionId = await initialize(slug, token);
    const call: Call = async (method, params = {}) => {
      const { res, message } = await rpc(slug, token, sessionId, method, params);
      return { res, message: plain(era, message) };
    };
    return { call };
  }
  const call: Call = async (method, params = {}) => {
    // 2026-07-28 transports: Mcp-Name carries params.name, or params.uri for resources/read.
    const mcpName: Record<string, string> =
      typeof params.uri === 'string' ? { 'mcp-name': params.uri } : {};
    const res = await modernFetch(slug, method, params, { token, headers: mcpName });
    const message =
      res.status === 200
        ? await responseOf(res.clone())
        : ((await res.clone().json()) as JsonRpcMessage);
    return { res, message: plain(era, message) };
  };
  return { call };
}

async function capabilitiesOf(era: Era, target: string): Promise<Record<string, unknown>> {
  const token = await mintToken(target);
  const res =
    era === PROTOCOL_VERSION
      ? await mcpFetch(target, INITIALIZE_REQUEST, { token })
      : await modernFetch(target, 'server/discover', {}, { token });
  return (await responseOf(res)).result!.capabilities as Record<string, unknown>;
}

const names = (list: unknown) => (list as { name: string }[]).map((x) => x.name);

describe.each([PROTOCOL_VERSION, MODERN_VERSION] as Era[])(
  'resources and prompts (MCP %s)',
  (era) => {
    it('advertises resources and prompts only when the spec declares them', async () => {
      expect(await capabilitiesOf(era, slug)).toMatchObject({
        resources: {},
        prompts: {},
        tools: {},
      });
      const plainSlug = uniqueSlug('plain');
      await publishServer(weatherSpec(plainSlug));
      const caps = await capabilitiesOf(era, plainSlug);
      expect(caps).toHaveProperty('tools');
      expect(caps).not.toHaveProperty('resources');
      expect(caps).not.toHaveProperty('prompts');
    });

    it('lists only the resources, templates and prompts the token scopes allow', async () => {
      const reader = await session(era, 'mcp:read');
      const listed = (await reader.call('resources/list')).message.result!;
      expect(names(listed.resources)).toEqual(['readme', 'logo']);
      expect(listed.resources).toContainEqual({
        uri: 'docs://readme',
        name: 'readme',
        mimeType: 'text/markdown',
        size: 7,
      });
      expect(listed.resources).toContainEqual(
        expect.objectContaining({ uri: 'docs://logo', mimeType: 'image/png', size: 8 }),
      );
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

      const hr = await session(era, 'mcp:read mcp:hr');
      expect(names((await hr.call('resources/list')).message.result!.resources)).toContain(
        'payroll',
      );
      expect(names((await hr.call('prompts/list')).message.result!.prompts)).toEqual([
        'plan_trip',
        'review_salaries',
      ]);
    });

    it('reads a static text resource and a base64 blob', async () => {
      const { call } = await session(era);
      expect((await call('resources/read', { uri: 'docs://readme' })).message.result).toEqual({
        contents: [{ uri: 'docs://readme', mimeType: 'text/markdown', text: '# Hello' }],
      });
      expect((await call('resources/read', { uri: 'docs://logo' })).message.result).toEqual({
        contents: [{ uri: 'docs://logo', mimeType: 'image/png', blob: 'iVBORw0KGgo=' }],
      });
    });

    it("reads a template through its HTTP call, with the URI's value and the secret injected", async () => {
      const { call } = await session(era);
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
      const { call } = await session(era);
      const { message } = await call('resources/read', { uri: 'echo://hi' });
      const text = (message.result!.contents as { text: string }[])[0]!.text;
      expect(text).toContain('[redacted]');
      expect(text).not.toContain(SECRET);
    });

    it('answers an unknown URI and a downstream 404 with -32602 naming the uri', async () => {
      const { call } = await session(era);
      for (const uri of ['docs://nope', 'missing://42']) {
        const { message } = await call('resources/read', { uri });
        expect(message.error).toMatchObject({ code: -32602, data: { uri } });
      }
    });

    it('answers a failing downstream with -32603 and a clean message, and sends no dot segment', async () => {
      const { call } = await session(era);
      const { message } = await call('resources/read', { uri: 'broken://500' });
      expect(message.error).toMatchObject({
        code: -32603,
        message: expect.stringContaining('Could not read broken://500: The API answered 500'),
      });
      const before = (await downstreamRequests('prim-files')).length;
      const dots = await call('resources/read', { uri: 'files://..' });
      expect(dots.message.error).toMatchObject({
        code: -32603,
        message: expect.stringContaining('may not be ".." in the URL path'),
      });
      expect(await downstreamRequests('prim-files')).toHaveLength(before);
    });

    it('refuses a read the token lacks scope for with 403 insufficient_scope, sending nothing', async () => {
      const { call } = await session(era, 'mcp:read');
      const before = (await downstreamRequests('prim-hr')).length;
      for (const [uri, what] of [
        ['docs://payroll', 'resource payroll'],
        ['hr://people/7', 'resource template people'],
      ] as const) {
        const { res } = await call('resources/read', { uri });
        expect(res.status).toBe(403);
        expect(res.headers.get('www-authenticate')).toBe(
          `Bearer resource_metadata="${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${slug}/mcp", error="insufficient_scope", error_description="${what} requires mcp:hr", scope="mcp:read mcp:hr"`,
        );
        expect(await res.json()).toMatchObject({ error: { code: -32003 } });
      }
      expect(await downstreamRequests('prim-hr')).toHaveLength(before);
    });

    it('gets a prompt with its arguments filled and other braces left as written', async () => {
      const { call } = await session(era);
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
      const { call } = await session(era);
      const missing = await call('prompts/get', { name: 'plan_trip', arguments: { days: '3' } });
      expect(missing.message.error).toMatchObject({
        code: -32602,
        message: expect.stringContaining('Missing required argument for prompt plan_trip: city'),
      });
      const unknown = await call('prompts/get', { name: 'nope' });
      expect(unknown.message.error).toMatchObject({ code: -32602 });
    });

    it('refuses a prompt the token lacks scope for with 403 insufficient_scope', async () => {
      const { call } = await session(era, 'mcp:read');
      const { res } = await call('prompts/get', { name: 'review_salaries' });
      expect(res.status).toBe(403);
      // The step-up scope names what the token holds plus what the prompt needs.
      expect(res.headers.get('www-authenticate')).toContain('scope="mcp:read mcp:hr"');
      const hr = await session(era, 'mcp:hr');
      expect((await hr.call('prompts/get', { name: 'review_salaries' })).res.status).toBe(200);
    });

    it('audits resource reads with who, which resource and the downstream, never a secret', async () => {
      const jti = crypto.randomUUID();
      const { call } = await session(era, 'mcp:read', jti);
      await call('resources/read', { uri: 'weather://forecast/Audited' });
      await call('resources/read', { uri: 'docs://readme' });
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
  },
);
