// Code mode (docs/runner.md "Discovery modes"): one run_code tool whose description carries the
// callable tools' TypeScript signatures; the program runs in a Worker Loader isolate with no
// network, reaches tools only through the runner's tool path with the caller's scopes, and every
// overrun (steps, wall time, calls, output), fetch and throw is a clean tool error. Both eras.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { callTool, initialize, modernFetch, responseOf, rpc } from './support/mcp';
import { downstreamRequests, publishWeather, type Seeded } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;

beforeAll(async () => {
  server = await publishWeather('code', {
    apiKey: 'sk_code_secret_7781',
    addCity: 'code_add_city',
    overrides: { mode: 'code' },
  });
  slug = server.slug;
});

type Result = { isError?: boolean; content: { type: string; text: string }[] };

async function runCode(code: string, scope?: string): Promise<Result> {
  const token = await mintToken(slug, { ...(scope ? { scope } : {}), sub: 'usr_coder' });
  const session = await initialize(slug, token);
  const { res, message } = await callTool(slug, token, session, 'run_code', { code });
  expect(res.status).toBe(200);
  expect(message.error).toBeUndefined();
  return message.result as Result;
}

const textOf = (r: Result) => r.content.map((c) => c.text).join('\n');

describe('code mode (2025-11-25 sessions)', () => {
  it('lists one run_code tool carrying the TypeScript signatures of the callable tools', async () => {
    const token = await mintToken(slug, { scope: 'mcp:read' });
    const session = await initialize(slug, token);
    const { message } = await rpc(slug, token, session, 'tools/list');
    const tools = message.result?.tools as { name: string; description: string }[];
    expect(tools.map((t) => t.name)).toEqual(['run_code']);
    expect(tools[0]!.description).toContain('get_forecast(args: { city: string }): Promise<any>;');
    expect(tools[0]!.description).not.toContain('add_city');
  });

  it('runs a program that makes three tool calls and combines them, auditing each', async () => {
    // Names no other test file asks the shared downstream server for.
    const cities = ['Oslo', 'Lima', 'Pune'].map((c) => `${c}${Date.now().toString(36)}`);
    const result = await runCode(`
      const cities = ${JSON.stringify(cities)};
      const all = await Promise.all(cities.map((city) => tools.get_forecast({ city })));
      console.log('fetched', all.length);
      return all.map((f) => f.city + ':' + f.days[0].tempC).join(', ');`);
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(result.content[0]!.text)).toBe(cities.map((c) => `${c}:21`).join(', '));
    expect(result.content[1]!.text).toBe('console:\nfetched 3');
    for (const city of cities) {
      const [call] = await downstreamRequests(`city=${city}`);
      expect(call?.headers.authorization).toBe('Bearer sk_code_secret_7781');
    }
    // The rows are written after the response (waitUntil): wait for all four.
    const audited = await vi.waitFor(async () => {
      const rows = await env.DB.prepare(
        `SELECT metadata FROM audit_events WHERE action = 'tool.call' AND resource = ?
         ORDER BY rowid DESC LIMIT 4`,
      )
        .bind(server.id)
        .all<{ metadata: string }>();
      const all = rows.results.map((r) => JSON.parse(r.metadata) as Record<string, unknown>);
      expect(all.filter((m) => m.tool === 'get_forecast')).toHaveLength(3);
      expect(all.find((m) => m.tool === 'run_code')).toBeDefined();
      return all;
    });
    expect(audited.find((m) => m.tool === 'run_code')).toMatchObject({
      mode: 'code',
      outcome: 'ok',
      calls: 3,
      sub: 'usr_coder',
    });
  });

  it('refuses fetch: the program has no network of its own', async () => {
    const result = await runCode(
      `return await (await fetch('${env.DOWNSTREAM_ORIGIN}/forecast?city=Leak')).text();`,
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('not permitted to access the internet');
    expect(await downstreamRequests('city=Leak')).toEqual([]);
  });

  it('stops an endless loop with a clean tool error', async () => {
    const result = await runCode('let n = 0; while (true) { try { n++; } catch {} }');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('step limit');
  });

  it('refuses code generated from strings, which the step guard could not see', async () => {
    for (const code of ["return eval('1 + 1');", "return (() => {}).constructor('return 2')();"]) {
      const result = await runCode(code);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('EvalError');
    }
  });

  it('stops a program that outlives the wall-time limit', async () => {
    const result = await runCode('await new Promise((r) => setTimeout(r, 60_000)); return 1;');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('ran longer than 1.5 s');
  });

  it('refuses an output over the limit', async () => {
    const result = await runCode("return 'x'.repeat(200 * 1024);");
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/output too large: \d+ bytes/);
  });

  it('refuses calls past the call limit, even when the program catches the error', async () => {
    // The 40 calls start together, so the run's wall-time limit (1.5 s in tests) is not what a
    // slow machine hits first; each one catches its refusal.
    const result = await runCode(`
      await Promise.all(Array.from({ length: 40 }, (_, i) =>
        tools.get_forecast({ city: 'Loop' + i }).catch(() => undefined)));
      return 'done';`);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('call limit reached: at most 25 tool calls');
    expect(await downstreamRequests('city=Loop25')).toEqual([]);
  });

  it('turns a thrown error into a clean tool error', async () => {
    const result = await runCode("throw new TypeError('boom')");
    expect(result).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'The program did not complete: TypeError: boom' }],
    });
  });

  it('reports a syntax error with the program line', async () => {
    const result = await runCode('const a = 1;\nreturn a +;');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('SyntaxError');
    expect(textOf(result)).toContain('line 2');
  });

  it('refuses an inner call the token lacks scope for, naming the scope', async () => {
    const result = await runCode("return await tools.add_city({ city: 'Nope' });", 'mcp:read');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('insufficient_scope: tool add_city requires scope mcp:write');
    expect(await downstreamRequests('code_add_city')).toEqual([]);
  });

  it('lets the program catch a tool error and go on', async () => {
    const result = await runCode(`
      try { await tools.get_forecast({ city: '' }); } catch (e) { return 'caught: ' + e.message; }`);
    expect(result.isError).toBeFalsy();
    expect(result.content[0]!.text).toContain('caught: Invalid arguments for tool get_forecast');
  });
});

describe('code mode (2026-07-28 requests)', () => {
  it('runs a three-call program and refuses fetch', async () => {
    const token = await mintToken(slug);
    const list = await responseOf(await modernFetch(slug, 'tools/list', {}, { token }));
    expect((list.result?.tools as { name: string }[]).map((t) => t.name)).toEqual(['run_code']);
    const ok = await responseOf(
      await modernFetch(
        slug,
        'tools/call',
        {
          name: 'run_code',
          arguments: {
            code: `let out = [];
              for (const city of ['Bern', 'Cork', 'Rome']) out.push((await tools.get_forecast({ city })).city);
              return out;`,
          },
        },
        { token },
      ),
    );
    expect(JSON.parse((ok.result as Result).content[0]!.text)).toEqual(['Bern', 'Cork', 'Rome']);
    const refused = await responseOf(
      await modernFetch(
        slug,
        'tools/call',
        { name: 'run_code', arguments: { code: "await fetch('https://example.com'); return 1;" } },
        { token },
      ),
    );
    expect((refused.result as Result).isError).toBe(true);
  });
});
