import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServerSpecSchema, type ServerSpecInput } from '../../../lib/spec/server-spec';
import { runHttpTool } from '../src/tools/http-tool';
import { callTool, initialize } from './support/mcp';
import {
  downstream,
  downstreamRequests,
  publishWithApiKey,
  uniqueSlug,
  weatherSpec,
  type Seeded,
} from './support/servers';
import { mintToken } from './support/tokens';

const SECRET = 'sk_live_TOPSECRET_4242';
type ToolInput = ServerSpecInput['tools'][number];

function tool(name: string, http: ToolInput['http'], extra: Partial<ToolInput> = {}): ToolInput {
  return {
    name,
    description: name,
    inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
    annotations: { readOnlyHint: true },
    http,
    ...extra,
  };
}

const auth = { Authorization: 'Bearer {{secrets.API_KEY}}' };
let slug: string;
let server: Seeded;
let token: string;
let sessionId: string;

beforeAll(async () => {
  slug = uniqueSlug('tools');
  const spec = weatherSpec(slug);
  spec.tools.push(
    tool('echo', { method: 'GET', url: downstream('/echo?tag=echo&q={q}'), headers: auth }),
    tool('status', {
      method: 'GET',
      url: downstream('/status?tag=status&code={q}'),
      headers: auth,
    }),
    tool('slow', {
      method: 'GET',
      url: downstream('/slow?tag={q}&ms=1500'),
      headers: auth,
      timeoutMs: 5000,
    }),
    tool('too_slow', {
      method: 'GET',
      url: downstream('/slow?tag=too_slow&ms=3000'),
      timeoutMs: 200,
    }),
    tool('hang', { method: 'GET', url: downstream('/slow?tag={q}&ms=8000'), timeoutMs: 10000 }),
    tool('big', { method: 'GET', url: downstream('/big') }),
    tool('text', { method: 'GET', url: downstream('/text') }),
    tool('away', {
      method: 'GET',
      url: downstream('/redirect?tag=away&to=http%3A%2F%2Fexample.com%2Fsteal'),
      headers: auth,
    }),
    tool('around', {
      method: 'GET',
      url: downstream('/redirect?tag=around&to=%2Fecho%3Ftag%3Daround2'),
    }),
    tool('anywhere', { method: 'GET', url: 'http://{q}/x' }),
    tool(
      'structured',
      { method: 'GET', url: downstream('/forecast?city={q}') },
      {
        outputSchema: {
          type: 'object',
          properties: { city: { type: 'string' }, days: { type: 'array' } },
          required: ['city', 'days'],
        },
      },
    ),
    ...(
      [
        ['json_text', 'application/json', '{"name":"{q}","role":"viewer","count":{n}}'],
        ['json_inferred', undefined, '{"name":"{q}","role":"viewer"}'],
        ['form_text', 'application/x-www-form-urlencoded', 'name={q}&role=viewer'],
        ['xml_text', 'application/xml', '<user><name>{q}</name><role>viewer</role></user>'],
      ] as const
    ).map(([name, type, body]) =>
      tool(
        name,
        {
          method: 'POST',
          url: downstream(`/echo?tag=${name}`),
          headers: type ? { 'Content-Type': type } : {},
          body,
        },
        {
          inputSchema: {
            type: 'object',
            properties: { q: { type: 'string' }, n: { type: 'integer' } },
          },
          annotations: {},
        },
      ),
    ),
    tool('deep', { method: 'GET', url: downstream('/deep') }),
    tool(
      'deep_structured',
      { method: 'GET', url: downstream('/deep') },
      { outputSchema: { type: 'object' } },
    ),
    tool(
      'mismatch',
      { method: 'GET', url: downstream('/forecast?city={q}') },
      { outputSchema: { type: 'object', required: ['nope'] } },
    ),
    tool(
      'create',
      {
        method: 'POST',
        url: downstream('/echo?tag=create'),
        headers: { 'X-Api-Key': '{{secrets.API_KEY}}' },
        body: { name: '{q}', count: '{n}', note: 'by {q}' },
      },
      {
        inputSchema: {
          type: 'object',
          properties: { q: { type: 'string' }, n: { type: 'integer' } },
          required: ['q', 'n'],
        },
        annotations: {},
      },
    ),
  );
  server = await publishWithApiKey(spec, SECRET);
  token = await mintToken(slug);
  sessionId = await initialize(slug, token);
});

const call = (name: string, args: unknown) => callTool(slug, token, sessionId, name, args);

describe('HTTP tools', () => {
  it('rejects arguments that do not match inputSchema with JSON-RPC invalid params', async () => {
    const { res, message } = await call('get_forecast', { city: 42 });
    expect(res.status).toBe(200);
    expect(message.error?.code).toBe(-32602);
    expect(message.error?.message).toContain('/city');
    const missing = await call('get_forecast', {});
    expect(missing.message.error?.code).toBe(-32602);
  });

  it('percent-encodes URL arguments so they cannot add path or query parts', async () => {
    await call('echo', { q: 'a b/../c&admin=1#x' });
    const [seen] = await downstreamRequests('tag=echo&q=a');
    expect(seen?.url).toBe('/echo?tag=echo&q=a%20b%2F..%2Fc%26admin%3D1%23x');
  });

  it('injects the secret into the header the downstream sees', async () => {
    await call('get_forecast', { city: 'Quito' });
    const [seen] = await downstreamRequests('city=Quito');
    expect(seen?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(seen?.headers['user-agent']).toBe('moat-runner');
  });

  it('never forwards the MCP bearer token downstream', async () => {
    await call('get_forecast', { city: 'Bogota' });
    const [seen] = await downstreamRequests('city=Bogota');
    expect(JSON.stringify(seen)).not.toContain(token.split('.')[1]!);
  });

  it('redacts the secret from a response that echoes it', async () => {
    const { message } = await call('echo', { q: 'redact' });
    const text = JSON.stringify(message);
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[redacted]');
  });

  it('turns a downstream error into isError with a clean message and no secret', async () => {
    const { message } = await call('status', { q: '503' });
    expect(message.result?.isError).toBe(true);
    const text = (message.result?.content as { text: string }[])[0]!.text;
    expect(text).toMatch(/^The API answered 503 Service Unavailable\./);
    expect(text).not.toContain(SECRET);
  });

  it('times out a slow API with isError', async () => {
    const { message } = await call('too_slow', {});
    expect(message.result).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'The API did not answer within 200 ms.' }],
    });
  });

  it('cuts a 2 MiB response to the size budget with a note instead of failing', async () => {
    const { message } = await call('big', {});
    const result = message.result as { isError?: boolean; content: { text: string }[] };
    expect(result.isError).toBeUndefined();
    expect(result.content[0]!.text).toMatch(/^x{70000,80000}$/);
    expect(result.content[1]!.text).toMatch(
      /^\[Cut to fit the 20,000-token budget: showing lines 1–1 of 1 /,
    );
  });

  it('returns text responses as text', async () => {
    const { message } = await call('text', {});
    expect(message.result).toEqual({ content: [{ type: 'text', text: 'plain words' }] });
  });

  it('refuses a redirect to another host and sends nothing there', async () => {
    const { message } = await call('away', {});
    expect(message.result).toEqual({
      isError: true,
      content: [
        { type: 'text', text: 'Refused: the API redirected to another host (example.com).' },
      ],
    });
  });

  it('follows a redirect on the same host', async () => {
    const { message } = await call('around', {});
    expect(message.result?.isError).toBeUndefined();
    expect(await downstreamRequests('tag=around2')).toHaveLength(1);
  });

  it('refuses a templated host outside the egress list (SSRF)', async () => {
    const { message } = await call('anywhere', { q: '169.254.169.254' });
    expect(message.result).toEqual({
      isError: true,
      content: [
        { type: 'text', text: "Refused: 169.254.169.254 is not in this server's egress list." },
      ],
    });
  });

  it('returns structuredContent when the tool has an outputSchema', async () => {
    const { message } = await call('structured', { q: 'Lima' });
    expect(message.result).toMatchObject({
      structuredContent: { city: 'Lima', days: [{ tempC: 21 }] },
      content: [{ type: 'text' }],
    });
  });

  it('reports a response that does not match the outputSchema as isError', async () => {
    const { message } = await call('mismatch', { q: 'Lima' });
    expect(message.result).toEqual({
      isError: true,
      content: [{ type: 'text', text: "The API response does not match the tool's outputSchema." }],
    });
  });

  it('returns JSON nested too deep to handle as text, and as an outputSchema mismatch', async () => {
    const plain = await call('deep', {});
    expect(plain.res.status).toBe(200);
    expect(plain.message.result?.isError).toBeUndefined();
    expect((plain.message.result?.content as { text: string }[])[0]!.text).toMatch(/^\{"a":\[\[/);
    const structured = await call('deep_structured', {});
    expect(structured.res.status).toBe(200);
    expect(structured.message.result).toEqual({
      isError: true,
      content: [{ type: 'text', text: "The API response does not match the tool's outputSchema." }],
    });
  });

  it('encodes arguments in a string body for its media type, so they cannot add fields', async () => {
    const q = 'x","role":"admin</name><role>admin&role=admin';
    for (const name of ['json_text', 'json_inferred', 'form_text', 'xml_text']) {
      await call(name, { q, n: 2 });
    }
    const body = async (tag: string) => (await downstreamRequests(`tag=${tag}`))[0]!.body;
    expect(JSON.parse(await body('json_text'))).toEqual({ name: q, role: 'viewer', count: 2 });
    expect(JSON.parse(await body('json_inferred'))).toEqual({ name: q, role: 'viewer' });
    expect([...new URLSearchParams(await body('form_text'))]).toEqual([
      ['name', q],
      ['role', 'viewer'],
    ]);
    expect(await body('xml_text')).toBe(
      '<user><name>x&quot;,&quot;role&quot;:&quot;admin&lt;/name&gt;&lt;role&gt;admin&amp;role=admin</name><role>viewer</role></user>',
    );
  });

  it('fills JSON body templates keeping argument types, with the secret only in the header', async () => {
    await call('create', { q: 'widget', n: 3 });
    const [seen] = await downstreamRequests('tag=create');
    expect(JSON.parse(seen!.body)).toEqual({ name: 'widget', count: 3, note: 'by widget' });
    expect(seen!.headers['content-type']).toBe('application/json');
    expect(seen!.headers['x-api-key']).toBe(SECRET);
  });

  it('sends progress notifications during a slow call when the client asks', async () => {
    const { mcpFetch, messagesOf } = await import('./support/mcp');
    const res = await mcpFetch(
      slug,
      {
        jsonrpc: '2.0',
        id: 'p1',
        method: 'tools/call',
        params: { name: 'slow', arguments: { q: 'progress' }, _meta: { progressToken: 'tok-1' } },
      },
      { token, sessionId },
    );
    const messages = await messagesOf(res);
    const progress = messages.filter((m) => m.method === 'notifications/progress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]!.params).toMatchObject({ progressToken: 'tok-1' });
    expect(messages.at(-1)).toMatchObject({ id: 'p1', result: { content: [{ type: 'text' }] } });
  });

  it('aborts the downstream fetch when the client cancels the call', async () => {
    const { mcpFetch } = await import('./support/mcp');
    const tag = `cancel${Date.now()}`;
    const pending = await mcpFetch(
      slug,
      {
        jsonrpc: '2.0',
        id: 'c1',
        method: 'tools/call',
        params: { name: 'hang', arguments: { q: tag } },
      },
      { token, sessionId },
    );
    expect(pending.status).toBe(200);
    for (let i = 0; i < 50 && (await downstreamRequests(tag)).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const cancel = await mcpFetch(
      slug,
      {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: 'c1', reason: 'user' },
      },
      { token, sessionId },
    );
    expect(cancel.status).toBe(202);
    let seen = await downstreamRequests(tag);
    for (let i = 0; i < 100 && !seen[0]?.aborted; i++) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await downstreamRequests(tag);
    }
    expect(seen[0]?.aborted).toBe(true);
    await pending.body?.cancel();
  });

  it('audits every call with who, what and the downstream, never a secret value', async () => {
    await call('echo', { q: SECRET });
    await call('get_forecast', { city: 'Audit' });
    // Audit rows are written with waitUntil; give them a moment to land.
    let rows: { actor: string; metadata: string }[] = [];
    for (let i = 0; i < 50 && rows.length < 2; i++) {
      ({ results: rows } = await env.DB.prepare(
        `SELECT actor, metadata FROM audit_events WHERE action = 'tool.call' AND resource = ?
         AND (metadata LIKE '%Audit%' OR metadata LIKE '%"tool":"echo"%redacted%')`,
      )
        .bind(server.id)
        .all());
      if (rows.length < 2) await new Promise((r) => setTimeout(r, 20));
    }
    expect(rows).toHaveLength(2);
    const all = JSON.stringify(rows);
    expect(all).not.toContain(SECRET);
    const forecast = rows.map((r) => JSON.parse(r.metadata)).find((m) => m.tool === 'get_forecast');
    expect(forecast).toMatchObject({
      server: slug,
      version: 1,
      tool: 'get_forecast',
      sub: 'usr_alice',
      client_id: 'cl_test',
      outcome: 'ok',
      downstream: { host: new URL(env.DOWNSTREAM_ORIGIN).host, status: 200 },
      arguments: { city: 'Audit' },
    });
    expect(typeof forecast.jti).toBe('string');
    expect(typeof forecast.latency_ms).toBe('number');
  });
});

describe('egress guard without ALLOW_PRIVATE_EGRESS', () => {
  it('refuses loopback and private IP literals and sends nothing', async () => {
    const spec = ServerSpecSchema.parse(
      weatherSpec('ssrf-check', { egress: ['127.0.0.1', '10.0.0.7', 'localhost', '[::1]'] }),
    );
    const t = { ...spec.tools[0]!, http: { ...spec.tools[0]!.http, headers: {} } };
    for (const [url, host] of [
      [downstream('/forecast?city=ssrf&tag=ssrfcheck'), '127.0.0.1'],
      ['http://10.0.0.7/forecast?city={city}', '10.0.0.7'],
      ['http://localhost:9/forecast?city={city}', 'localhost'],
      ['http://[::1]:9/forecast?city={city}', '[::1]'],
    ] as const) {
      const out = await runHttpTool(
        { ...t, http: { ...t.http, url } },
        { city: 'x' },
        {
          egress: spec.egress,
          allowPrivateEgress: false,
          secrets: new Map(),
          signal: new AbortController().signal,
        },
      );
      expect(out.outcome).toBe('refused');
      expect(out.result.content).toEqual([
        { type: 'text', text: `Refused: ${host} is a private or loopback address.` },
      ]);
    }
    expect(await downstreamRequests('ssrfcheck')).toHaveLength(0);
  });

  it('refuses every spelling of a non-public address (IPv4-compatible, NAT64, site-local, 6to4)', async () => {
    const hosts = [
      '[::7f00:1]',
      '[::a9fe:a9fe]',
      '[64:ff9b::a9fe:a9fe]',
      '[fec0::1]',
      '[2002:a9fe:a9fe::1]',
      '[::ffff:0:7f00:1]',
      '198.51.100.7',
      'metadata.google.internal',
    ];
    const spec = ServerSpecSchema.parse(
      weatherSpec('ssrf-forms', { egress: ['127.0.0.1', ...hosts] }),
    );
    const t = { ...spec.tools[0]!, http: { ...spec.tools[0]!.http, headers: {} } };
    for (const host of hosts) {
      const out = await runHttpTool(
        { ...t, http: { ...t.http, url: `http://${host}:9/forecast?city={city}` } },
        { city: 'x' },
        {
          egress: spec.egress,
          allowPrivateEgress: false,
          secrets: new Map(),
          signal: new AbortController().signal,
        },
      );
      expect(out.outcome).toBe('refused');
      expect(out.result.content).toEqual([
        { type: 'text', text: `Refused: ${host} is a private or loopback address.` },
      ]);
    }
  });
});
