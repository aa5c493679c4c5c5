// Toolsets on a large real API (issue 14 "Proof"): 128 operations of GitHub's REST API
// description, grouped into toolsets by their tags, published as one server. Each toolset URL
// lists exactly its tools and refuses the other toolsets' and the full server's tokens.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApiToServerSpec } from '../../../lib/openapi/convert';
import type { ServerSpecInput } from '../../../lib/spec/server-spec';
import { GITHUB_OPENAPI_TEXT } from '../../../test/fixtures/large-openapi';
import { INITIALIZE_REQUEST, mcpFetch, modernFetch, responseOf } from './support/mcp';
import { publishServer, uniqueSlug, type Seeded } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;
let spec: ServerSpecInput;
const url = (path: string) => `${env.RUNNER_ORIGIN}/${path}/mcp`;
const tokenFor = (path: string) =>
  mintToken(slug, { aud: url(path), serverId: server.id, scope: 'mcp:read mcp:write mcp:admin' });

async function listed(path: string): Promise<{ names: string[]; bytes: number }> {
  const res = await modernFetch(path, 'tools/list', {}, { token: await tokenFor(path) });
  const msg = await responseOf(res);
  const tools = msg.result?.tools as { name: string }[];
  return { names: tools.map((t) => t.name), bytes: JSON.stringify(tools).length };
}

beforeAll(async () => {
  slug = uniqueSlug('github');
  // Parsing the 1.1 MB document once, then every 9th usable operation (128 of them, 30+ tags).
  const all = await openApiToServerSpec(GITHUB_OPENAPI_TEXT);
  const picked = all.operations.filter((o) => o.supported).filter((_, i) => i % 9 === 0);
  const converted = await openApiToServerSpec(GITHUB_OPENAPI_TEXT, {
    slug,
    operations: picked.slice(0, 128).map((o) => o.id),
  });
  // Every tool listed, so the full server's definitions can be compared with each toolset's
  // (past 40 tools the default would be search mode: lib/spec/discovery-mode.ts).
  spec = { ...converted.spec, mode: 'tools' };
  server = await publishServer(spec);
}, 120_000);

describe('toolsets of the GitHub REST API', () => {
  it('lists exactly each toolset its own tools, and all 128 at the full server', async () => {
    const toolsets = spec.toolsets!;
    expect(toolsets.length).toBeGreaterThan(10);
    const full = await listed(slug);
    expect(full.names).toHaveLength(128);
    for (const t of toolsets.slice(0, 5)) {
      const { names } = await listed(`${slug}/${t.name}`);
      expect(names, t.name).toEqual(t.tools);
    }
    // Definition size as tools/list returns it (≈ 4 characters a token).
    const sizes = await Promise.all(toolsets.map((t) => listed(`${slug}/${t.name}`)));
    const bytes = sizes.map((s) => s.bytes).sort((x, y) => x - y);
    const largest = bytes.at(-1)!;
    const median = bytes[Math.floor(bytes.length / 2)]!;
    console.info(
      `GitHub, 128 tools: full tools/list ${full.bytes} chars (~${Math.round(full.bytes / 4)} tokens); ` +
        `${toolsets.length} toolsets, median ${median} chars (~${Math.round(median / 4)} tokens), ` +
        `largest ${largest} chars (~${Math.round(largest / 4)} tokens)`,
    );
    expect(largest).toBeLessThan(full.bytes / 2);
  });

  it("refuses one toolset's token at another toolset and at the full server", async () => {
    const [a, b] = spec.toolsets!;
    const token = await tokenFor(`${slug}/${a!.name}`);
    for (const at of [`${slug}/${b!.name}`, slug]) {
      const res = await mcpFetch(at, INITIALIZE_REQUEST, { token });
      expect(res.status, at).toBe(401);
    }
    const own = await mcpFetch(`${slug}/${a!.name}`, INITIALIZE_REQUEST, { token });
    expect(own.status).toBe(200);
  });
});
