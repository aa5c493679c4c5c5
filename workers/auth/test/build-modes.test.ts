// Builds of servers in search and code mode (docs/runner.md "Discovery modes"): the build log says
// which mode the server and each toolset get and why, and the smoke test checks the mode's tools.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, signUp, type SignedUp } from './support/accounts';
import { waitForBuild } from './support/builds';

let alice: SignedUp;
let origin: string;
beforeAll(async () => {
  alice = await signUp();
  origin = inject('downstreamOrigin');
});

let n = 0;
function specWith(mode: Record<string, unknown>) {
  const slug = `bld-mode-${Date.now().toString(36)}-${++n}`;
  return {
    name: 'Modes',
    slug,
    egress: [new URL(origin).host],
    tools: ['a', 'b'].map((x) => ({
      name: `get_${x}`,
      description: `Forecast ${x}`,
      inputSchema: {
        type: 'object',
        properties: { city: { type: 'string', examples: [slug] } },
        required: ['city'],
      },
      annotations: { readOnlyHint: true },
      http: { method: 'GET', url: `${origin}/forecast?city={city}` },
    })),
    toolsets: [{ name: 'only-a', tools: ['get_a'], mode: 'code' }],
    ...mode,
  };
}

async function build(spec: Record<string, unknown>) {
  const res = await api('/v1/builds', { as: alice, body: { spec } });
  expect(res.status).toBe(202);
  const { id } = await res.json<{ id: string }>();
  return waitForBuild(alice, id);
}

describe('builds and discovery modes', () => {
  it('logs the mode of the server and of each toolset, and smoke-tests search mode', async () => {
    const done = await build(specWith({ mode: 'search' }));
    expect(done.status).toBe('succeeded');
    const line = done.log.find((l) => l.message.startsWith('Discovery mode:'));
    expect(line?.message).toBe(
      'Discovery mode: search (set on the server). Toolsets — only-a: code (set on the toolset).',
    );
    expect(done.log.find((l) => l.step === 'smoke' && l.level === 'ok')?.message).toContain(
      'tools/list shows all 3 tool(s)',
    );
  });

  it('smoke-tests a server in code mode against its one run_code tool', async () => {
    const done = await build(specWith({ mode: 'code', toolsets: undefined }));
    expect(done.status).toBe('succeeded');
    expect(done.log.find((l) => l.message.startsWith('Discovery mode:'))?.message).toBe(
      'Discovery mode: code (set on the server).',
    );
    expect(done.log.find((l) => l.step === 'smoke' && l.level === 'ok')?.message).toContain(
      'tools/list shows all 1 tool(s)',
    );
  });

  it('says a small server lists its tools, by count', async () => {
    const done = await build(specWith({ toolsets: undefined }));
    expect(done.log.find((l) => l.message.startsWith('Discovery mode:'))?.message).toBe(
      'Discovery mode: tools (2 tools, at most 40).',
    );
  });
});
