import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playBrowser } from '../support/form-browser';
import { moat, moatWithBrowser, newAccount, newConfigDir } from '../support/moat-cli';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { freePort, repoRoot, startPlatform, type Platform } from '../support/platform';

const SECRET = 'downstream-key-9b1f2e7c';

describe('moat call: a real MCP client with its own token for the server', () => {
  let platform: Platform;
  let downstream: Server;
  let downstreamPort: number;
  let account: Awaited<ReturnType<typeof newAccount>>;
  let config: string;
  let work: string;
  const seenAuth: (string | undefined)[] = [];

  beforeAll(async () => {
    downstream = createServer((req, res) => {
      seenAuth.push(req.headers.authorization);
      const city = new URL(req.url ?? '/', 'http://x').searchParams.get('city');
      res.writeHead(req.headers.authorization === `Bearer ${SECRET}` ? 200 : 401, {
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ city, forecast: 'sunny', high: 21 }));
    });
    await new Promise<void>((ok) => downstream.listen(0, '127.0.0.1', ok));
    downstreamPort = (downstream.address() as { port: number }).port;
    platform = await startPlatform();
    account = await newAccount(platform.issuer);
    config = newConfigDir();
    work = mkdtempSync(join(tmpdir(), 'moat-cli-call-'));
    const login = await moat(platform.issuer, config, ['login', '--api-key'], {
      input: account.apiKey,
    });
    if (login.code !== 0) throw new Error(login.stderr);
    const spec = {
      name: 'Local forecast',
      slug: 'cli-forecast',
      visibility: 'private',
      secrets: [{ name: 'API_KEY' }],
      egress: ['127.0.0.1'],
      tools: [
        {
          name: 'forecast',
          description: 'Forecast for a city',
          inputSchema: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
          annotations: { readOnlyHint: true },
          http: {
            method: 'GET',
            url: `http://127.0.0.1:${downstreamPort}/forecast?city={city}`,
            headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
          },
        },
      ],
    };
    writeFileSync(join(work, 'spec.json'), JSON.stringify(spec));
    const created = await moat(platform.issuer, config, [
      'servers',
      'create',
      '-f',
      join(work, 'spec.json'),
    ]);
    if (created.code !== 0) throw new Error(created.stderr);
    const secret = await moat(
      platform.issuer,
      config,
      ['secrets', 'set', 'cli-forecast', 'API_KEY'],
      {
        input: SECRET,
      },
    );
    if (secret.code !== 0) throw new Error(secret.stderr);
  });
  afterAll(async () => {
    await platform?.stop();
    downstream?.close();
    rmSync(config, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('signs in to the server through the browser, calls the tool and prints the downstream data', async () => {
    const run = await moatWithBrowser(
      platform.issuer,
      config,
      ['call', 'cli-forecast', 'forecast', '--args', '{"city":"Berlin"}'],
      (url) => playBrowser(url, { email: account.email, password: account.password }),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ city: 'Berlin', forecast: 'sunny', high: 21 });
    expect(new URL(run.authorizeUrl).searchParams.get('resource')).toBe(
      `${platform.runnerOrigin}/cli-forecast/mcp`,
    );
    expect(seenAuth.at(-1)).toBe(`Bearer ${SECRET}`);
    expect(run.stdout + run.stderr).not.toContain(SECRET);

    const stored = JSON.parse(readFileSync(join(config, 'credentials.json'), 'utf8'));
    const entry = stored.platforms[platform.issuer];
    expect(entry.auth.kind).toBe('api_key');
    expect(Object.keys(entry.servers)).toEqual([`${platform.runnerOrigin}/cli-forecast/mcp`]);

    // The next call reuses the stored token: no browser.
    const again = await moat(platform.issuer, config, [
      'call',
      'cli-forecast',
      'forecast',
      '--args',
      '{"city":"Paris"}',
      '--json',
    ]);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('/authorize');
    expect(JSON.parse(again.stdout)).toMatchObject({
      content: [{ type: 'text', text: expect.stringContaining('Paris') }],
    });
  });

  it('builds with --follow: streams each step of the log and ends with the live URL', async () => {
    const run = await moat(platform.issuer, config, ['build', 'cli-forecast', '--follow']);
    expect(run.code).toBe(0);
    for (const step of ['validate', 'secrets', 'compile', 'test', 'publish', 'smoke']) {
      expect(run.stderr).toContain(`[${step}]`);
    }
    expect(run.stderr).toMatch(/✓ \[test\] forecast: answered 200/);
    expect(run.stdout).toMatch(
      new RegExp(`succeeded: version \\d+ is live at ${platform.runnerOrigin}/cli-forecast/mcp`),
    );
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('exits 1 with the failing step and what to fix when a build fails', async () => {
    const spec = JSON.parse(readFileSync(join(work, 'spec.json'), 'utf8'));
    writeFileSync(join(work, 'unset.json'), JSON.stringify({ ...spec, slug: 'cli-unset' }));
    await moat(platform.issuer, config, ['servers', 'create', '-f', join(work, 'unset.json')]);
    const run = await moat(platform.issuer, config, ['build', 'cli-unset', '--follow']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Build bld_\w+ failed at secrets: .*API_KEY/);
    expect(run.stderr).toContain('✗ [secrets]');
  });

  it('refuses arguments that do not match the tool schema with exit 5', async () => {
    const run = await moat(platform.issuer, config, [
      'call',
      'cli-forecast',
      'forecast',
      '--args',
      '{}',
    ]);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('city');
  });

  it('refuses --args that are not a JSON object with exit 2', async () => {
    const run = await moat(platform.issuer, config, [
      'call',
      'cli-forecast',
      'forecast',
      '--args',
      '[1]',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('JSON object');
  });

  it('refuses to eject a draft server (no published version) with a hint to build it', async () => {
    // A build whose declared secret is missing stops at "secrets": the server stays a draft.
    const started = await fetch(`${platform.issuer}/v1/builds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        spec: {
          name: 'Draft forecast',
          slug: 'cli-draft',
          secrets: [{ name: 'API_KEY' }],
          egress: ['127.0.0.1'],
          tools: [
            {
              name: 'forecast',
              description: 'Forecast for a city',
              inputSchema: { type: 'object', properties: {} },
              annotations: { readOnlyHint: true },
              http: { method: 'GET', url: `http://127.0.0.1:${downstreamPort}/forecast` },
            },
          ],
        },
      }),
    });
    expect(started.status).toBe(202);
    const dir = join(work, 'ejected-draft');
    const run = await moat(platform.issuer, config, ['eject', 'cli-draft', '-o', dir]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('cli-draft has no published version to eject yet.');
    expect(run.stderr).toContain('moat build cli-draft');
    expect(existsSync(join(dir, 'moat-server.json'))).toBe(false);
  });

  it('ejects a standalone Worker that bundles with wrangler and serves the tool with a platform token', async () => {
    // A token for the server's resource, from the platform AS (the browser only the first time).
    const call = await moatWithBrowser(
      platform.issuer,
      config,
      ['call', 'cli-forecast', 'forecast', '--args', '{"city":"Oslo"}'],
      (url) => playBrowser(url, { email: account.email, password: account.password }),
    );
    expect(call.code).toBe(0);
    const resource = `${platform.runnerOrigin}/cli-forecast/mcp`;
    const stored = JSON.parse(readFileSync(join(config, 'credentials.json'), 'utf8'));
    const token = stored.platforms[platform.issuer].servers[resource].access_token as string;

    const dir = join(work, 'ejected');
    const ejected = await moat(platform.issuer, config, ['eject', 'cli-forecast', '-o', dir]);
    expect(ejected.code).toBe(0);
    expect(ejected.stdout).toContain('npx wrangler secret put API_KEY');
    const toml = readFileSync(join(dir, 'wrangler.toml'), 'utf8');
    expect(toml).toContain(`ISSUER = "${platform.issuer}"`);
    expect(toml).toContain('required = ["API_KEY"]');
    expect(JSON.parse(readFileSync(join(dir, 'moat-server.json'), 'utf8')).spec.slug).toBe(
      'cli-forecast',
    );
    expect(readFileSync(join(dir, 'moat-server.json'), 'utf8')).not.toContain(SECRET);

    // `wrangler deploy --dry-run` bundles it on its own (dependencies from this checkout).
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
    const bundle = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'node_modules/wrangler/bin/wrangler.js'),
        'deploy',
        '--dry-run',
        '--outdir',
        'dist',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          CLOUDFLARE_CF_FETCH_ENABLED: 'false',
          WRANGLER_SEND_METRICS: 'false',
        },
      },
    );
    expect(bundle.status, bundle.stderr).toBe(0);
    expect(existsSync(join(dir, 'dist/index.js'))).toBe(true);
    expect(readFileSync(join(dir, 'dist/index.js'), 'utf8')).toContain('cli-forecast');

    // Run the bundle on its own (its own Durable Objects, no platform D1/KV) and call the tool.
    const port = await freePort();
    const mf = new Miniflare(
      convertV4MiniflareOptions({
        host: '127.0.0.1',
        port,
        modules: true,
        scriptPath: join(dir, 'dist/index.js'),
        modulesRoot: join(dir, 'dist'),
        compatibilityDate: /compatibility_date = "([^"]+)"/.exec(toml)![1],
        compatibilityFlags: ['nodejs_compat'],
        bindings: {
          ISSUER: platform.issuer,
          RUNNER_ORIGIN: platform.runnerOrigin,
          ALLOW_PRIVATE_EGRESS: '1',
          API_KEY: SECRET,
        },
        durableObjects: {
          SESSIONS: { className: 'McpSession', useSQLite: true },
          PRINCIPAL_SESSIONS: { className: 'PrincipalSessions', useSQLite: true },
        },
      }),
    );
    try {
      await mf.ready;
      const url = `http://127.0.0.1:${port}/cli-forecast/mcp`;
      const refused = await fetch(url, { method: 'POST' });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('resource_metadata=');

      const client = new Client({ name: 'eject-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      const result = await client.callTool({ name: 'forecast', arguments: { city: 'Lima' } });
      await client.close();
      expect(result.isError).toBeFalsy();
      expect(JSON.stringify(result.content)).toContain('Lima');
      expect(seenAuth.at(-1)).toBe(`Bearer ${SECRET}`);
    } finally {
      await mf.dispose();
    }
  }, 120_000);
});
