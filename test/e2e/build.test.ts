// The wizard's path over real HTTP on `npm start`: an OpenAPI document for a local API → preview →
// POST /v1/builds (draft + secret + tool tests + publish + smoke) → the live log over WebSocket →
// a real MCP SDK client through the full OAuth flow calls the tool that the build tested.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveInBrowser, MemoryOAuthProvider } from '../support/mcp-oauth';
import { startPlatform, type Platform } from '../support/platform';

const SECRET = 'e2e-build-downstream-key-5521';
const owner = {
  email: `builder-${Date.now()}@example.test`,
  password: 'correct horse battery staple',
};

let platform: Platform;
let downstream: Server;
let origin: string;
let headers: Record<string, string>;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

function openapi(): string {
  return JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'Local Weather', version: '1' },
    servers: [{ url: origin }],
    components: {
      securitySchemes: { weatherKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
    },
    security: [{ weatherKey: [] }],
    paths: {
      '/forecast': {
        get: {
          operationId: 'getForecast',
          summary: 'Forecast for a city',
          parameters: [
            {
              name: 'city',
              in: 'query',
              required: true,
              schema: { type: 'string', examples: ['Oslo'] },
            },
          ],
          responses: { 200: { description: 'ok' } },
        },
      },
      '/notes': {
        post: {
          operationId: 'addNote',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { text: { type: 'string' } },
                  required: ['text'],
                },
              },
            },
          },
          responses: { 201: { description: 'created' } },
        },
      },
    },
  });
}

beforeAll(async () => {
  downstream = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const ok = req.headers['x-api-key'] === SECRET;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        ok
          ? { city: new URL(req.url ?? '/', 'http://x').searchParams.get('city'), tempC: 7 }
          : { error: 'key' },
      ),
    );
  });
  await new Promise<void>((ok) => downstream.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(downstream.address() as { port: number }).port}`;
  platform = await startPlatform();
  const signup = await fetch(`${platform.issuer}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(owner),
  });
  const { csrfToken } = (await signup.json()) as { csrfToken: string };
  headers = {
    cookie: signup.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    origin: platform.issuer,
    'x-csrf-token': csrfToken,
    'content-type': 'application/json',
  };
});

afterAll(async () => {
  await platform?.stop();
  downstream?.close();
});

describe('describe → build → call', () => {
  it('builds a server from an OpenAPI document and serves it to an MCP client', async () => {
    const preview = await fetch(`${platform.issuer}/v1/servers/preview`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ openapi: openapi(), slug: `e2e-build-${Date.now().toString(36)}` }),
    });
    expect(preview.status).toBe(200);
    const { spec } = (await preview.json()) as {
      spec: { slug: string; secrets: { name: string }[] };
    };
    expect(spec.secrets).toEqual([
      { name: 'WEATHER_KEY', description: 'API key sent in the X-Api-Key header' },
    ]);

    const started = await fetch(`${platform.issuer}/v1/builds`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ spec, secrets: { WEATHER_KEY: SECRET } }),
    });
    expect(started.status).toBe(202);
    const { id, url } = (await started.json()) as { id: string; url: string };

    // The live log: every line, then the result, then the server closes the socket.
    const ws = new WebSocket(`${platform.issuer.replace('http', 'ws')}/v1/builds/${id}/log`, {
      headers: { cookie: headers.cookie!, origin: platform.issuer },
    } as never);
    const messages: { type: string; build?: { status: string } }[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.onmessage = (e) => messages.push(JSON.parse(String(e.data)));
      ws.onclose = () => resolve();
      ws.onerror = () => reject(new Error('log socket failed'));
    });
    expect(messages.at(-1)).toMatchObject({ type: 'done', build: { status: 'succeeded' } });

    const build = (await (
      await fetch(`${platform.issuer}/v1/builds/${id}`, { headers })
    ).json()) as {
      status: string;
      log: { step: string; level: string; message: string; tool?: string }[];
    };
    expect(build.status).toBe('succeeded');
    expect(build.log.find((l) => l.tool === 'getForecast' && l.level === 'ok')).toBeTruthy();
    expect(build.log.find((l) => l.tool === 'addNote')?.message).toContain('not called');
    expect(build.log.find((l) => l.step === 'smoke' && l.level === 'ok')).toBeTruthy();
    expect(JSON.stringify(build)).not.toContain(SECRET);
    expect(seen.filter((r) => r.url.startsWith('/notes'))).toEqual([]);

    const mcpUrl = new URL(url);
    const redirectUrl = 'http://127.0.0.1:53683/callback';
    const provider = new MemoryOAuthProvider(redirectUrl, 'E2E build client');
    const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await expect(new Client({ name: 'e2e', version: '1' }).connect(first)).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    const { code } = await approveInBrowser(provider.authorizationUrl!, owner, redirectUrl);
    await first.finishAuth(code);
    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('getForecast');
    const result = await client.callTool({ name: 'getForecast', arguments: { city: 'Bergen' } });
    expect(result.isError).toBeFalsy();
    expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toEqual({
      city: 'Bergen',
      tempC: 7,
    });
    await client.close();
  });

  it('passes the smoke test even when the runner cached the slug as unknown moments before', async () => {
    const slug = `e2e-race-${Date.now().toString(36)}`;
    // Someone (a client, a scanner) asks for the URL before it exists: the runner caches "unknown".
    const early = await fetch(`${platform.runnerOrigin}/${slug}/mcp`, { method: 'POST' });
    expect(early.status).toBe(404);

    const preview = await fetch(`${platform.issuer}/v1/servers/preview`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ openapi: openapi(), slug }),
    });
    const { spec } = (await preview.json()) as { spec: Record<string, unknown> };
    const started = await fetch(`${platform.issuer}/v1/builds`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ spec, secrets: { WEATHER_KEY: SECRET } }),
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };

    let build: { status: string; log: { step: string; level: string; message: string }[] };
    const deadline = Date.now() + 30_000;
    do {
      await new Promise((r) => setTimeout(r, 250));
      build = (await (await fetch(`${platform.issuer}/v1/builds/${id}`, { headers })).json()) as {
        status: string;
        log: { step: string; level: string; message: string }[];
      };
    } while (!['succeeded', 'failed'].includes(build.status) && Date.now() < deadline);

    expect(build.status).toBe('succeeded');
    const smoke = build.log.filter((l) => l.step === 'smoke').map((l) => l.message);
    expect(smoke).toContain('Waiting for the runner to pick up the new version…');
    expect(smoke.some((m) => m.startsWith('Live: initialize answered'))).toBe(true);
  });
});
