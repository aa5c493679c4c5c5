import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { toolDefinitionTokens } from '../../../lib/spec/definition-size';
import { ServerSpecSchema } from '../../../lib/spec/server-spec';
import { runBuild } from '../src/control-plane/build/pipeline';
import { insertBuildStatement } from '../src/store/builds';
import {
  createDraftServerStatement,
  createServerStatements,
  publishVersionStatements,
} from '../src/store/servers';
import { api, signUp, type SignedUp } from './support/accounts';
import { readLogSocket, waitForBuild } from './support/builds';

let alice: SignedUp;
let origin: string;
let host: string;
beforeAll(async () => {
  alice = await signUp();
  origin = inject('downstreamOrigin');
  host = new URL(origin).host;
});

let n = 0;
/** A spec against the local downstream: one read tool (called for real) and one write tool. */
function specFor(
  label: string,
  read: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  const slug = `bld-${label}-${Date.now().toString(36)}-${++n}`;
  return {
    name: `Build ${label}`,
    slug,
    egress: [host],
    tools: [
      {
        name: 'get_forecast',
        description: 'Forecast for a city',
        inputSchema: {
          type: 'object',
          properties: { city: { type: 'string', examples: [slug] } },
          required: ['city'],
        },
        annotations: { readOnlyHint: true },
        http: { method: 'GET', url: `${origin}/forecast?city={city}` },
        ...read,
      },
      {
        name: 'post_note',
        description: 'Writes a note',
        inputSchema: {
          type: 'object',
          properties: { text: { type: 'string' } },
          required: ['text'],
        },
        http: { method: 'POST', url: `${origin}/echo?tag=${slug}` },
      },
    ],
    ...extra,
  };
}

type Seen = { method: string; url: string; body: string; headers: Record<string, string> };
async function downstreamCalls(tag: string): Promise<Seen[]> {
  return (await fetch(`${origin}/__requests?tag=${encodeURIComponent(tag)}`)).json();
}

async function startBuild(body: Record<string, unknown>) {
  const res = await api('/v1/builds', { as: alice, body });
  expect(res.status).toBe(202);
  return res.json<{ id: string; serverId: string; server: { slug: string; url: string } }>();
}

describe('POST /v1/builds', () => {
  it('tests the read tool for real, schema-checks the write tool, publishes and returns snippets', async () => {
    const spec = specFor('ok');
    const started = await startBuild({ spec });
    const build = await waitForBuild(alice, started.id);
    expect(build).toMatchObject({ status: 'succeeded', version: 1, error: null, slug: spec.slug });
    const steps = build.log.map((l) => l.step);
    expect([...new Set(steps)]).toEqual([
      'validate',
      'secrets',
      'compile',
      'test',
      'publish',
      'smoke',
    ]);
    const called = build.log.find((l) => l.tool === 'get_forecast' && l.level === 'ok');
    expect(called?.message).toContain('answered 200');
    expect(called?.durationMs).toBeGreaterThanOrEqual(0);
    expect(build.log.find((l) => l.tool === 'post_note')?.message).toContain('not called');
    expect(build.log.find((l) => l.step === 'smoke' && l.level === 'ok')?.message).toContain(
      'tools/list shows all 2 tool(s)',
    );
    expect(await downstreamCalls(spec.slug)).toEqual([
      expect.objectContaining({ method: 'GET', url: `/forecast?city=${spec.slug}` }),
    ]);
    const server = await env.DB.prepare('SELECT current_version FROM servers WHERE id = ?')
      .bind(started.serverId)
      .first<{ current_version: number }>();
    expect(server?.current_version).toBe(1);
    expect(build.snippets?.find((s) => s.id === 'claude-code')?.code).toBe(
      `claude mcp add --transport http ${spec.slug} ${build.url}`,
    );
  });

  it('calls a write tool only when the owner opts in, with the sample arguments given', async () => {
    const spec = specFor('writes');
    const started = await startBuild({
      spec,
      testWrites: ['post_note'],
      sampleArgs: { post_note: { text: 'hello' } },
    });
    const build = await waitForBuild(alice, started.id);
    expect(build.status).toBe('succeeded');
    const calls = await downstreamCalls(spec.slug);
    expect(calls.map((c) => c.method).sort()).toEqual(['GET', 'POST']);
  });

  it('schema-checks a read tool that uses a per-user connection without calling it (the build acts for no user)', async () => {
    const spec = specFor(
      'conn',
      {
        http: {
          method: 'GET',
          url: `${origin}/forecast?city={city}`,
          headers: { Authorization: 'Bearer {{connections.notes.access_token}}' },
        },
      },
      {
        connections: [
          {
            name: 'notes',
            title: 'Notes',
            authorizationUrl: `${origin}/authorize`,
            tokenUrl: `${origin}/token`,
            clientId: 'moat-notes',
          },
        ],
      },
    );
    const build = await waitForBuild(alice, (await startBuild({ spec })).id);
    expect(build).toMatchObject({ status: 'succeeded', version: 1, error: null });
    const line = build.log.find((l) => l.tool === 'get_forecast');
    expect(line).toMatchObject({ step: 'test', level: 'info' });
    expect(line?.message).toContain(
      'not called (it acts as each user through the notes connection',
    );
    expect(await downstreamCalls(spec.slug)).toEqual([]);
  });

  it('sends a whole-body argument (an OpenAPI array body) as JSON', async () => {
    const base = specFor('array-body');
    const spec = {
      ...base,
      tools: [
        base.tools[0],
        {
          name: 'post_notes',
          description: 'Writes notes',
          inputSchema: {
            type: 'object',
            properties: { body: { type: 'array' } },
            required: ['body'],
          },
          http: { method: 'POST', url: `${origin}/echo?tag=${base.slug}`, body: '{body}' },
        },
      ],
    };
    const started = await startBuild({
      spec,
      testWrites: true,
      sampleArgs: { post_notes: { body: [{ name: 'a' }, { name: 'b' }] } },
    });
    expect((await waitForBuild(alice, started.id)).status).toBe('succeeded');
    const post = (await downstreamCalls(spec.slug)).find((c) => c.method === 'POST')!;
    expect(JSON.parse(post.body)).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(post.headers['content-type']).toBe('application/json');
  });

  it('stops at a failing tool with its reason and fix, and publishes nothing', async () => {
    const spec = specFor('fail', {
      http: { method: 'GET', url: `${origin}/status?code=500&city={city}` },
    });
    const started = await startBuild({ spec });
    const build = await waitForBuild(alice, started.id);
    expect(build.status).toBe('failed');
    expect(build.error).toMatchObject({
      step: 'test',
      message: expect.stringContaining('Tool get_forecast failed'),
    });
    expect(build.error?.message).toContain('500');
    expect(build.error?.fix).toBeTruthy();
    expect(build.log.some((l) => l.step === 'publish')).toBe(false);
    const row = await env.DB.prepare(
      'SELECT current_version, (SELECT COUNT(*) FROM server_versions WHERE server_id = servers.id) AS versions FROM servers WHERE id = ?',
    )
      .bind(started.serverId)
      .first<{ current_version: number | null; versions: number }>();
    expect(row).toEqual({ current_version: null, versions: 0 });
    const mcp = await env.RUNNER.fetch(`${env.RUNNER_ORIGIN}/${spec.slug}/mcp`, { method: 'POST' });
    expect(mcp.status).toBe(404);
  });

  it('stops when a response does not match the outputSchema', async () => {
    const spec = specFor('shape', {
      outputSchema: {
        type: 'object',
        properties: { temperature: { type: 'number' } },
        required: ['temperature'],
      },
    });
    const build = await waitForBuild(alice, (await startBuild({ spec })).id);
    expect(build.status).toBe('failed');
    expect(build.error?.fix).toContain('outputSchema');
  });

  it('stops before calling anything when a declared secret is not set', async () => {
    const spec = specFor(
      'secret',
      {
        http: {
          method: 'GET',
          url: `${origin}/forecast?city={city}`,
          headers: { 'x-key': '{{secrets.API_KEY}}' },
        },
      },
      {
        secrets: [{ name: 'API_KEY' }],
      },
    );
    const build = await waitForBuild(alice, (await startBuild({ spec })).id);
    expect(build.error).toMatchObject({ step: 'secrets', message: 'Secret API_KEY is not set.' });
    expect(await downstreamCalls(spec.slug)).toEqual([]);
  });

  it('stores the secrets sent with the build (sealed) and uses them in the test call', async () => {
    const spec = specFor(
      'with-secret',
      {
        http: {
          method: 'GET',
          url: `${origin}/echo?tag={city}`,
          headers: { 'x-key': '{{secrets.API_KEY}}' },
        },
      },
      {
        secrets: [{ name: 'API_KEY' }],
      },
    );
    const build = await waitForBuild(
      alice,
      (await startBuild({ spec, secrets: { API_KEY: 'sekret-value-123' } })).id,
    );
    expect(build.status).toBe('succeeded');
    const [call] = await downstreamCalls(spec.slug);
    expect(call).toMatchObject({
      headers: expect.objectContaining({ 'x-key': 'sekret-value-123' }),
    });
    const stored = await env.DB.prepare('SELECT ciphertext FROM secrets WHERE name = ?')
      .bind('API_KEY')
      .all<{ ciphertext: string }>();
    expect(stored.results.every((r) => !r.ciphertext.includes('sekret'))).toBe(true);
    expect(JSON.stringify(build.log)).not.toContain('sekret-value-123');
  });

  it('audits build.started and build.succeeded', async () => {
    const started = await startBuild({ spec: specFor('audit') });
    await waitForBuild(alice, started.id);
    const { results } = await env.DB.prepare(
      "SELECT action FROM audit_events WHERE resource = ? AND action LIKE 'build.%' ORDER BY ts, id",
    )
      .bind(started.serverId)
      .all<{ action: string }>();
    expect(results.map((r) => r.action)).toEqual(['build.started', 'build.succeeded']);
  });

  it('lets only owners and admins start builds (403 forbidden for members)', async () => {
    const member = await signUp();
    await env.DB.prepare(
      'INSERT INTO members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)',
    )
      .bind(alice.orgId, member.user.id, 'member', Date.now())
      .run();
    const res = await api('/v1/builds', {
      as: member,
      body: { spec: specFor('member') },
      headers: { 'x-moat-org': alice.orgId },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('refuses an invalid spec with 422 invalid_spec naming the field', async () => {
    const spec = { ...specFor('bad'), egress: [] };
    const res = await api('/v1/builds', { as: alice, body: { spec } });
    expect(res.status).toBe(422);
    const body = await res.json<{ error: { code: string; issues: { path: string }[] } }>();
    expect(body.error.code).toBe('invalid_spec');
    expect(body.error.issues[0]?.path).toBe('tools.0.http.url');
  });

  it('refuses a secret the spec does not declare with 422 unknown_secret', async () => {
    const res = await api('/v1/builds', {
      as: alice,
      body: { spec: specFor('x'), secrets: { OTHER: 'v' } },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_secret' } });
  });

  it("refuses another organization's slug with 409 slug_taken", async () => {
    const spec = specFor('taken');
    await waitForBuild(alice, (await startBuild({ spec })).id);
    const bob = await signUp();
    const res = await api('/v1/builds', { as: bob, body: { spec } });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'slug_taken' } });
  });
});

describe('POST /v1/servers/:id/builds', () => {
  it('rebuilds the published spec as the next version', async () => {
    const first = await startBuild({ spec: specFor('again') });
    await waitForBuild(alice, first.id);
    const res = await api(`/v1/servers/${first.serverId}/builds`, { as: alice, body: {} });
    expect(res.status).toBe(202);
    const build = await waitForBuild(alice, (await res.json<{ id: string }>()).id);
    expect(build).toMatchObject({ status: 'succeeded', version: 2 });
    const list = await api(`/v1/servers/${first.serverId}/builds`, { as: alice });
    expect((await list.json<{ builds: unknown[] }>()).builds).toHaveLength(2);
  });

  it('keeps the previous version live when a rebuild fails', async () => {
    const spec = specFor('keep');
    const first = await startBuild({ spec });
    await waitForBuild(alice, first.id);
    const broken = {
      ...spec,
      tools: [
        { ...spec.tools[0], http: { method: 'GET', url: `${origin}/status?code=404&c={city}` } },
      ],
    };
    const res = await api(`/v1/servers/${first.serverId}/builds`, {
      as: alice,
      body: { spec: broken },
    });
    const build = await waitForBuild(alice, (await res.json<{ id: string }>()).id);
    expect(build.status).toBe('failed');
    expect(build.error?.fix).toContain('URL template');
    const row = await env.DB.prepare('SELECT current_version FROM servers WHERE id = ?')
      .bind(first.serverId)
      .first();
    expect(row).toEqual({ current_version: 1 });
  });
});

describe('build log', () => {
  it('streams every line and then the result over the WebSocket', async () => {
    const started = await startBuild({ spec: specFor('ws') });
    const messages = await readLogSocket(alice, started.id);
    const done = messages.at(-1);
    expect(done).toMatchObject({ type: 'done', build: { status: 'succeeded' } });
    const seqs = messages.filter((m) => m.type === 'line').map((m) => m.line!.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const stored = await waitForBuild(alice, started.id);
    expect(seqs).toHaveLength(stored.log.length);
  });

  it('replays the whole log to a socket opened after the build ended', async () => {
    const started = await startBuild({ spec: specFor('replay') });
    const build = await waitForBuild(alice, started.id);
    const messages = await readLogSocket(alice, started.id);
    expect(messages.filter((m) => m.type === 'line')).toHaveLength(build.log.length);
    expect(messages.at(-1)).toMatchObject({ type: 'done' });
  });

  it('refuses a WebSocket from another origin (403 forbidden_origin) and a plain GET (426)', async () => {
    const started = await startBuild({ spec: specFor('origin') });
    const foreign = await api(`/v1/builds/${started.id}/log`, {
      as: alice,
      headers: { upgrade: 'websocket', origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: 'forbidden_origin' } });
    const plain = await api(`/v1/builds/${started.id}/log`, { as: alice });
    expect(plain.status).toBe(426);
    await waitForBuild(alice, started.id);
  });

  it("hides another organization's build (404)", async () => {
    const started = await startBuild({ spec: specFor('private') });
    const bob = await signUp();
    const res = await api(`/v1/builds/${started.id}`, { as: bob });
    expect(res.status).toBe(404);
    await waitForBuild(alice, started.id);
  });
});

describe('build pipeline smoke step', () => {
  it('withdraws the version it published when the live URL fails the smoke test', async () => {
    await env.DB.prepare(
      "INSERT OR IGNORE INTO orgs (id, name, personal, plan, created_at) VALUES ('org_smoke', 'O', 0, 'free', 0)",
    ).run();
    const spec = ServerSpecSchema.parse(specFor('smoke'));
    await env.DB.batch([
      createDraftServerStatement(env.DB, {
        id: 'srv_smoke',
        orgId: 'org_smoke',
        spec,
        createdBy: alice.user.id,
        now: 1,
      }),
    ]);
    const lines: string[] = [];
    // A wrong RUNNER_ORIGIN makes the token's audience differ from the runner's: a real failure mode.
    const misconfigured = { ...env, RUNNER_ORIGIN: 'http://wrong-runner.example' } as Env;
    const outcome = await runBuild(
      misconfigured,
      { buildId: 'bld_smoke', serverId: 'srv_smoke', createdBy: alice.user.id, spec, options: {} },
      async (step, level, message) => {
        lines.push(`${step}:${level}:${message}`);
      },
    );
    expect(outcome).toMatchObject({ status: 'failed', failure: { step: 'smoke' } });
    expect(lines.some((l) => l.startsWith('publish:ok:Published version 1'))).toBe(true);
    expect(lines.some((l) => l.includes('withdrawn'))).toBe(true);
    const row = await env.DB.prepare('SELECT current_version FROM servers WHERE id = ?')
      .bind('srv_smoke')
      .first();
    expect(row).toEqual({ current_version: null });
  });

  it('does not withdraw a version someone else published between its publish and the smoke test', async () => {
    await env.DB.prepare(
      "INSERT OR IGNORE INTO orgs (id, name, personal, plan, created_at) VALUES ('org_smoke', 'O', 0, 'free', 0)",
    ).run();
    const spec = ServerSpecSchema.parse(specFor('race'));
    await env.DB.batch(
      createServerStatements(env.DB, {
        id: 'srv_race',
        orgId: 'org_smoke',
        spec,
        createdBy: alice.user.id,
        now: 1,
      }),
    );
    const lines: string[] = [];
    const misconfigured = { ...env, RUNNER_ORIGIN: 'http://wrong-runner.example' } as Env;
    const outcome = await runBuild(
      misconfigured,
      { buildId: 'bld_race', serverId: 'srv_race', createdBy: alice.user.id, spec, options: {} },
      async (step, level, message) => {
        lines.push(`${step}:${level}:${message}`);
        if (step === 'publish' && level === 'ok') {
          // Another publish (a PATCH, another build) lands while this build smoke-tests version 2.
          await env.DB.batch(
            publishVersionStatements(env.DB, {
              serverId: 'srv_race',
              version: 3,
              replaces: 2,
              spec: { ...spec, name: 'Published meanwhile' },
              createdBy: alice.user.id,
              now: Date.now(),
            }),
          );
        }
      },
    );
    expect(outcome).toMatchObject({ status: 'failed', failure: { step: 'smoke' } });
    expect(lines).toContain('publish:ok:Published version 2.');
    expect(lines).toContain(
      'smoke:error:Version 2 not rolled back: version 3 was published meanwhile.',
    );
    expect(lines.some((l) => l.includes('withdrawn'))).toBe(false);
    const row = await env.DB.prepare('SELECT current_version, name FROM servers WHERE id = ?')
      .bind('srv_race')
      .first();
    expect(row).toEqual({ current_version: 3, name: 'Published meanwhile' });
  });
});

describe('BuildRun recovery', () => {
  it('reports a build interrupted mid-run as failed instead of leaving it running', async () => {
    const spec = ServerSpecSchema.parse(specFor('interrupted'));
    const now = Date.now();
    await env.DB.batch([
      createDraftServerStatement(env.DB, {
        id: 'srv_intr',
        orgId: alice.orgId,
        spec,
        createdBy: alice.user.id,
        now,
      }),
      insertBuildStatement(env.DB, {
        id: 'bld_intr',
        serverId: 'srv_intr',
        orgId: alice.orgId,
        spec: spec as unknown as Record<string, unknown>,
        options: {},
        createdBy: alice.user.id,
        now,
      }),
    ]);
    const stub = env.BUILDS.get(env.BUILDS.idFromName('bld_intr'));
    // The state an object restarted in the middle of its test step leaves behind.
    await runInDurableObject(stub, async (_instance, state) => {
      await state.storage.put('build', {
        id: 'bld_intr',
        serverId: 'srv_intr',
        orgId: alice.orgId,
        slug: spec.slug,
        createdBy: alice.user.id,
        spec,
        options: {},
        status: 'running',
      });
      await state.storage.put('log:000001', {
        seq: 1,
        at: now,
        step: 'test',
        level: 'info',
        message: 'get_forecast: calling…',
      });
      await state.storage.setAlarm(Date.now());
    });
    await runDurableObjectAlarm(stub); // runs it now unless it already fired on its own
    const build = await waitForBuild(alice, 'bld_intr');
    expect(build).toMatchObject({
      status: 'failed',
      error: { step: 'test', message: 'The build was interrupted.', fix: 'Run the build again.' },
    });
    expect(build.log.map((l) => l.seq)).toEqual([1, 2]);
  });
});

describe('build log definition sizes', () => {
  it("reports each tool's definition size in tokens, each toolset's and the server's total", async () => {
    const spec = specFor('sizes', {}, { toolsets: [{ name: 'reads', tools: ['get_forecast'] }] });
    const build = await waitForBuild(alice, (await startBuild({ spec })).id);
    expect(build.status).toBe('succeeded');
    const parsed = ServerSpecSchema.parse(spec);
    const [read, write] = parsed.tools.map(toolDefinitionTokens) as [number, number];
    const sizes = build.log.filter((l) =>
      /^(Definition of|Toolset|Tool definitions)/.test(l.message),
    );
    expect(sizes.map((l) => [l.step, l.level, l.message])).toEqual([
      ['compile', 'info', `Definition of get_forecast: ~${read} tokens.`],
      ['compile', 'info', `Definition of post_note: ~${write} tokens.`],
      ['compile', 'info', `Toolset reads: 1 tool(s), ~${read} definition tokens.`],
      [
        'compile',
        'ok',
        `Tool definitions: ~${read + write} tokens for 2 tool(s) at the server's URL (estimated at 4 characters a token).`,
      ],
    ]);
  });

  it('warns, without failing the build, when the definitions pass 20,000 tokens', async () => {
    const spec = specFor('bloat');
    const writer = spec.tools[1]!;
    for (let i = 0; i < 24; i++) {
      spec.tools.push({ ...writer, name: `post_note_${i}`, description: 'd'.repeat(4000) });
    }
    const build = await waitForBuild(alice, (await startBuild({ spec })).id);
    expect(build.status).toBe('succeeded');
    const total = build.log.find((l) => l.message.startsWith('Tool definitions:'));
    expect(total?.level).toBe('warn');
    expect(total?.message).toMatch(
      /^Tool definitions: ~2\d,\d{3} tokens for 26 tool\(s\) at the server's URL \(estimated at 4 characters a token\), over 20,000: /,
    );
  });
});
