import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moat, newAccount, newConfigDir } from '../support/moat-cli';
import { repoRoot, startPlatform, type Platform } from '../support/platform';

const SECRET = 'sk-live-cli-test-4f1d9a7be2c8';

function spec(slug: string) {
  return {
    name: 'CLI Weather',
    slug,
    description: 'Made by the CLI test',
    visibility: 'private',
    secrets: [{ name: 'API_KEY', description: 'Upstream key' }],
    egress: ['api.example.com'],
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
          url: 'https://api.example.com/forecast?city={city}',
          headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
        },
      },
    ],
  };
}

describe('moat CLI: servers, secrets, preview, snippets', () => {
  let platform: Platform;
  let config: string;
  let work: string;
  const run = (args: string[], input?: string) => moat(platform.issuer, config, args, { input });

  beforeAll(async () => {
    platform = await startPlatform();
    const account = await newAccount(platform.issuer);
    config = newConfigDir();
    work = mkdtempSync(join(tmpdir(), 'moat-cli-work-'));
    const login = await run(['login', '--api-key'], account.apiKey);
    if (login.code !== 0) throw new Error(login.stderr);
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(config, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('creates, lists, shows and deletes a server', async () => {
    const file = join(work, 'weather.json');
    writeFileSync(file, JSON.stringify(spec('cli-weather')));
    const created = await run(['servers', 'create', '-f', file]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(
      `Created cli-weather (v1): ${platform.runnerOrigin}/cli-weather/mcp`,
    );
    expect(created.stdout).toContain('moat secrets set cli-weather API_KEY');

    const list = await run(['servers', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^SLUG\s+NAME\s+VERSION/);
    expect(list.stdout).toMatch(/cli-weather\s+CLI Weather\s+v1\s+private/);

    const json = await run(['servers', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ slug: 'cli-weather', version: 1 })]),
    );

    const get = await run(['servers', 'get', 'cli-weather']);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain('get_forecast');
    expect(get.stdout).toContain('mode     tools (1 tool, at most 40)');
    expect(get.stdout).toMatch(/API_KEY\s+NOT SET/);

    const refused = await run(['servers', 'delete', 'cli-weather']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');

    const deleted = await run(['servers', 'delete', 'cli-weather', '--yes']);
    expect(deleted.code).toBe(0);
    expect((await run(['servers', 'list'])).stdout).not.toContain('cli-weather');
    expect(await fetch(`${platform.runnerOrigin}/cli-weather/mcp`).then((r) => r.status)).toBe(404);
  });

  it('sets a secret from stdin without the value appearing in output or the credentials file', async () => {
    const file = join(work, 'secretive.json');
    writeFileSync(file, JSON.stringify(spec('cli-secretive')));
    expect((await run(['servers', 'create', '-f', file])).code).toBe(0);

    const set = await run(['secrets', 'set', 'cli-secretive', 'API_KEY'], `${SECRET}\n`);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('Secret API_KEY is set on cli-secretive');

    const list = await run(['secrets', 'list', 'cli-secretive']);
    expect(list.stdout).toMatch(/API_KEY\s+set\s+\d{4}-/);
    const get = await run(['servers', 'get', 'cli-secretive', '--json']);
    for (const r of [set, list, get]) expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(readFileSync(join(config, 'credentials.json'), 'utf8')).not.toContain(SECRET);
  });

  it('refuses a secret the spec does not declare with exit 4', async () => {
    const file = join(work, 'undeclared.json');
    writeFileSync(file, JSON.stringify(spec('cli-undeclared')));
    await run(['servers', 'create', '-f', file]);
    const set = await run(['secrets', 'set', 'cli-undeclared', 'NOPE'], 'value');
    expect(set.code).toBe(4);
    expect(set.stderr).toContain('does not declare a secret named NOPE');
  });

  it('explains a duplicate slug and an invalid spec with exit 5 and the field path', async () => {
    const file = join(work, 'dup.json');
    writeFileSync(file, JSON.stringify(spec('cli-dup')));
    expect((await run(['servers', 'create', '-f', file])).code).toBe(0);
    const dup = await run(['servers', 'create', '-f', file]);
    expect(dup.code).toBe(5);
    expect(dup.stderr).toContain('cli-dup');
    expect(dup.stderr).toContain('Pick another slug');

    writeFileSync(file, JSON.stringify({ ...spec('cli-bad'), tools: 'nope' }));
    const bad = await run(['servers', 'create', '-f', file]);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain('tools');
  });

  it('says which server is missing with exit 4', async () => {
    const get = await run(['servers', 'get', 'no-such-server']);
    expect(get.code).toBe(4);
    expect(get.stderr).toContain('No server "no-such-server"');
    expect(get.stderr).toContain('moat servers list');
  });

  it('previews an OpenAPI document and writes the spec with -o', async () => {
    const out = join(work, 'petstore.json');
    const res = await run([
      'preview',
      '--openapi',
      join(repoRoot, 'lib/openapi/fixtures/petstore-3.0.yaml'),
      '--base-url',
      'https://petstore3.swagger.io/api/v3',
      '--slug',
      'cli-pets',
      '-o',
      out,
    ]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`to ${out}`);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written.slug).toBe('cli-pets');
    expect(written.tools.length).toBeGreaterThan(0);
    expect(res.stdout).toContain(written.tools[0].name);
    expect(res.stdout).toContain(`moat servers create -f ${out}`);
    expect(res.stdout).toContain('uploadFile');
  });

  it('asks for --base-url when the OpenAPI servers URL is relative', async () => {
    const res = await run([
      'preview',
      '--openapi',
      join(repoRoot, 'lib/openapi/fixtures/petstore-3.0.yaml'),
    ]);
    expect(res.code).toBe(5);
    expect(res.stderr).toContain('--base-url');
  });

  it('previews a prompt through the configured model and prints the spec as JSON', async () => {
    const res = await run(['preview', '--prompt', 'a weather forecast server']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ slug: 'weather', tools: [expect.any(Object)] });
  });

  it('needs exactly one preview source', async () => {
    const res = await run(['preview']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('exactly one of --openapi, --prompt or -f');
  });

  it('prints install snippets for a server', async () => {
    const file = join(work, 'snip.json');
    writeFileSync(file, JSON.stringify(spec('cli-snip')));
    await run(['servers', 'create', '-f', file]);
    const res = await run(['snippets', 'cli-snip']);
    expect(res.code).toBe(0);
    const url = `${platform.runnerOrigin}/cli-snip/mcp`;
    expect(res.stdout).toContain(`claude mcp add --transport http cli-snip ${url}`);
    expect(res.stdout).toContain('## Cursor');
    expect(res.stdout).toContain('## VS Code');
  });

  it("prints a toolset's install snippets at its own URL, and names the toolsets for an unknown one", async () => {
    const file = join(work, 'snip-toolset.json');
    const withToolset = {
      ...spec('cli-snip-ts'),
      toolsets: [{ name: 'forecasts', title: 'Forecasts', tools: ['get_forecast'] }],
    };
    writeFileSync(file, JSON.stringify(withToolset));
    await run(['servers', 'create', '-f', file]);
    const res = await run(['snippets', 'cli-snip-ts', '--toolset', 'forecasts']);
    expect(res.code).toBe(0);
    const url = `${platform.runnerOrigin}/cli-snip-ts/forecasts/mcp`;
    expect(res.stdout).toContain(`MCP URL: ${url}`);
    expect(res.stdout).toContain(`claude mcp add --transport http cli-snip-ts-forecasts ${url}`);
    const unknown = await run(['snippets', 'cli-snip-ts', '--toolset', 'billing']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('cli-snip-ts has no toolset "billing"');
    expect(unknown.stderr).toContain('Its toolsets: forecasts');
  });
});
