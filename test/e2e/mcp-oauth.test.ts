// A server created over the API, reached by the MCP SDK client through the whole OAuth flow:
// 401 → PRM discovery → AS metadata → DCR → PKCE authorization through the real login and
// consent forms → token → tools/list → tools/call reaching a local API with the secret header.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBearerProxy } from '../support/bearer-proxy';
import { machineToken } from '../support/machine-token';
import { approveInBrowser, MemoryOAuthProvider } from '../support/mcp-oauth';
import { repoRoot, startPlatform, type Platform } from '../support/platform';

const SECRET = 'sk_e2e_downstream_secret_7731';
const PASSWORD = 'correct horse battery staple';

let platform: Platform;
let downstream: Server;
let downstreamOrigin: string;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
let slug: string;
let owner: { email: string; password: string };
let accessToken: string;
let asOwnerHeaders: Record<string, string>;

beforeAll(async () => {
  downstream = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const city = new URL(req.url ?? '/', 'http://x').searchParams.get('city');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ city, forecast: [{ day: 'mon', tempC: 19 }] }));
  });
  await new Promise<void>((ok) => downstream.listen(0, '127.0.0.1', ok));
  downstreamOrigin = `http://127.0.0.1:${(downstream.address() as { port: number }).port}`;
  platform = await startPlatform();

  // The server owner signs up and creates the server over the /v1 API, then sets its secret.
  owner = { email: `owner-${Date.now()}@example.test`, password: PASSWORD };
  const signup = await fetch(`${platform.issuer}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(owner),
  });
  expect(signup.status).toBe(201);
  const { csrfToken } = (await signup.json()) as { csrfToken: string };
  const cookie = signup.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const asOwner = {
    cookie,
    origin: platform.issuer,
    'x-csrf-token': csrfToken,
    'content-type': 'application/json',
  };
  asOwnerHeaders = asOwner;
  slug = `weather-${Date.now().toString(36)}`;
  const created = await fetch(`${platform.issuer}/v1/servers`, {
    method: 'POST',
    headers: asOwner,
    body: JSON.stringify({
      name: 'Weather',
      slug,
      secrets: [{ name: 'API_KEY' }],
      egress: ['127.0.0.1'],
      tools: [
        {
          name: 'get_forecast',
          description: 'Forecast for a city',
          inputSchema: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
          annotations: { readOnlyHint: true },
          http: {
            method: 'GET',
            url: `${downstreamOrigin}/forecast?city={city}`,
            headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
          },
        },
      ],
    }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const put = await fetch(`${platform.issuer}/v1/servers/${id}/secrets/API_KEY`, {
    method: 'PUT',
    headers: asOwner,
    body: JSON.stringify({ value: SECRET }),
  });
  expect(put.status).toBe(200);
});

afterAll(async () => {
  await platform?.stop();
  downstream?.close();
});

describe('a hosted server through the full OAuth flow', () => {
  it('discovers, registers, authorizes with PKCE, lists tools and calls one', async () => {
    const mcpUrl = new URL(`${platform.runnerOrigin}/${slug}/mcp`);
    const redirectUrl = 'http://127.0.0.1:53682/callback';
    const provider = new MemoryOAuthProvider(redirectUrl);

    // First attempt: the runner answers 401, the SDK discovers the AS from the PRM, registers
    // (DCR) and asks us to open the authorization URL.
    const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await expect(new Client({ name: 'e2e', version: '1' }).connect(first)).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    const authUrl = provider.authorizationUrl!;
    expect(authUrl.origin).toBe(platform.issuer);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('resource')).toBe(mcpUrl.toString());
    expect(provider.clientInformation()?.client_id).toMatch(/^cl_/);

    // The user signs in and approves in the browser; the code comes back to the redirect URI.
    const { code, consentHtml } = await approveInBrowser(authUrl, owner, redirectUrl);
    expect(consentHtml).toContain('E2E MCP client');
    await first.finishAuth(code);
    const tokens = provider.tokens()!;
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    accessToken = tokens.access_token;

    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['get_forecast']);

    const result = await client.callTool({
      name: 'get_forecast',
      arguments: { city: 'Reykjavik' },
    });
    expect(result.isError).toBeFalsy();
    const text = (result.content as { type: string; text: string }[])[0]!.text;
    expect(JSON.parse(text)).toEqual({ city: 'Reykjavik', forecast: [{ day: 'mon', tempC: 19 }] });
    expect(JSON.stringify(result)).not.toContain(SECRET);

    // The downstream saw the secret, and never the MCP access token.
    const call = seen.find((r) => r.url.includes('Reykjavik'));
    expect(call?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(JSON.stringify(seen)).not.toContain(accessToken);
    await client.close();
  });

  it('serves a machine client using client_credentials (the README recipe)', async () => {
    const keyRes = await fetch(`${platform.issuer}/v1/api-keys`, {
      method: 'POST',
      headers: asOwnerHeaders,
      body: JSON.stringify({ name: 'inspector' }),
    });
    const { key } = (await keyRes.json()) as { key: string };
    const mcpUrl = `${platform.runnerOrigin}/${slug}/mcp`;
    const access_token = await machineToken(platform, key, { clientName: 'inspector', mcpUrl });
    const mcp = new Client({ name: 'machine', version: '1' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${access_token}` } },
      }),
    );
    expect((await mcp.listTools()).tools.map((t) => t.name)).toEqual(['get_forecast']);
    await mcp.close();
  });

  it('passes the MCP conformance server scenarios that need no fixture tools', async () => {
    expect(accessToken).toBeDefined();
    const proxy = await startBearerProxy(`${platform.runnerOrigin}/${slug}/mcp`, accessToken);
    try {
      for (const scenario of [
        'server-initialize',
        'ping',
        'tools-list',
        'dns-rebinding-protection',
      ]) {
        const { code, output } = await conformance(proxy.url, scenario);
        expect({ scenario, code, output: code === 0 ? '' : output }).toEqual({
          scenario,
          code: 0,
          output: '',
        });
      }
    } finally {
      await proxy.close();
    }
  });
});

function conformance(
  url: string,
  scenario: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((ok) => {
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, 'node_modules/@modelcontextprotocol/conformance/dist/index.js'),
        'server',
        '--url',
        url,
        '--scenario',
        scenario,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => ok({ code, output }));
  });
}
