import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GITHUB_OPENAPI_TEXT,
  SYNTHETIC_TAGS,
  syntheticOpenApiText,
} from '../../test/fixtures/large-openapi';
import { ServerSpecSchema } from '../spec/server-spec';
import { convertDocument, openApiToServerSpec } from './convert';
import { readOpenApiDocument, type OpenApiObject } from './document';
import { toolsetNameFor } from './toolset-proposal';

/** Every selected tool is in exactly one proposed toolset, and the spec validates as is. */
function expectPartition(spec: ReturnType<typeof convertDocument>['spec']) {
  const inToolsets = (spec.toolsets ?? []).flatMap((t) => t.tools);
  expect([...inToolsets].sort()).toEqual(spec.tools.map((t) => t.name).sort());
  const parsed = ServerSpecSchema.safeParse(spec);
  expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
}

let github: OpenApiObject;
// Parsing and dereferencing 1.1 MB takes seconds on a loaded machine: once for the file.
beforeAll(async () => {
  github = (await readOpenApiDocument(GITHUB_OPENAPI_TEXT)).doc;
}, 60_000);

describe('toolsets proposed from OpenAPI tags', () => {
  it("groups GitHub's selected operations one toolset per tag, with the tag as title", async () => {
    const { spec, operations } = convertDocument(github);
    const selected = operations.filter((o) => o.selected);
    expect(spec.toolsets!.length).toBeGreaterThanOrEqual(2);
    expect(spec.toolsets![0]).toMatchObject({ name: 'meta', title: 'meta' });
    expect(spec.toolsets!.map((t) => t.name)).toContain('security-advisories');
    expect(selected).toHaveLength(spec.tools.length);
    expectPartition(spec);
  });

  it('keeps at most 32 toolsets, the smallest tags going to "other", for 128 tools under 47 tags', async () => {
    const all = convertDocument(github).operations.filter((o) => o.supported);
    const spread = all.filter((_, i) => i % 9 === 0).slice(0, 128);
    const { spec } = convertDocument(github, { operations: spread.map((o) => o.id) });
    expect(spec.tools).toHaveLength(spread.length);
    expect(spec.toolsets!.length).toBeLessThanOrEqual(32);
    expect(spec.toolsets!.at(-1)!.name).toBe('other');
    expectPartition(spec);
  });

  it('groups the synthetic 600-operation document by its tags', async () => {
    const { spec } = await openApiToServerSpec(syntheticOpenApiText());
    // The first 20 operations: things 0–9, tagged group-0 … group-9.
    expect(spec.toolsets!.map((t) => t.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `group-${i}`),
    );
    expect(spec.toolsets![0]!.tools).toEqual(['getThing0', 'putThing0']);
    expect(SYNTHETIC_TAGS).toBe(12);
    expectPartition(spec);
  });

  it('proposes none for a small document', async () => {
    const petstore = readFileSync(new URL('./fixtures/petstore-3.0.yaml', import.meta.url), 'utf8');
    const { spec } = await openApiToServerSpec(petstore, { baseUrl: 'https://petstore.example' });
    expect(spec.toolsets).toBeUndefined();
  });

  it.each([
    ['Secret Scanning', 'secret-scanning'],
    ['pets', 'pets'],
    ['3D models', 't-3d-models'],
    ['MCP', 'mcp-tools'],
    ['Ünïcödé', 'unicode'],
    ['***', 'other'],
    ['a'.repeat(60), 'a'.repeat(40)],
  ])('normalises the tag %s to the toolset name %s', (tag, name) => {
    expect(toolsetNameFor(tag)).toBe(name);
  });
});
