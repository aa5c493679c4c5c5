// Responses that fit (issue 14): a tool's projection, size budget and pagination, end to end
// through a session against the real local downstream API (support/downstream-server.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServerSpecInput } from '../../../lib/spec/server-spec';
import { STRUCTURED_LEFT_OUT } from '../src/tools/response-shaping';
import { callTool, initialize, rpc } from './support/mcp';
import { downstream, publishWithApiKey, uniqueSlug, weatherSpec } from './support/servers';
import { mintToken } from './support/tokens';

type ToolInput = ServerSpecInput['tools'][number];
type Item = { id: number; name: string; owner: { login: string } };
type Result = {
  isError?: boolean;
  content: { type: string; text: string }[];
  structuredContent?: Record<string, unknown>;
};

const catalogInput = {
  type: 'object',
  properties: { cursor: { type: 'string' }, per_page: { type: 'integer' } },
} as const;
const CURSOR = {
  style: 'cursor',
  param: 'cursor',
  next: 'next_cursor',
  items: 'items',
  total: 'total_count',
  sizeParam: 'per_page',
} as const;

function tool(name: string, path: string, extra: Partial<ToolInput> = {}): ToolInput {
  return {
    name,
    description: name,
    inputSchema: catalogInput,
    annotations: { readOnlyHint: true },
    http: { method: 'GET', url: downstream(path) },
    ...extra,
  };
}

let call: (name: string, args: unknown) => Promise<Result>;
let read: (uri: string) => Promise<{ contents: { uri: string; mimeType: string; text: string }[] }>;

beforeAll(async () => {
  const slug = uniqueSlug('shaping');
  const spec = weatherSpec(slug);
  const listSchema = (minItems: number) => ({
    type: 'object' as const,
    properties: {
      total_count: { type: 'integer' },
      items: { type: 'array', minItems },
    },
    required: ['total_count', 'items'],
  });
  spec.tools.push(
    tool('catalog', '/catalog?cursor={cursor}&per_page={per_page}', {
      response: { pagination: CURSOR },
    }),
    tool('catalog_projected', '/catalog?bytes=3000&cursor={cursor}', {
      response: {
        projection: { select: 'items', fields: { id: 'id', owner: 'owner.login' } },
      },
    }),
    tool('catalog_structured', '/catalog?bytes=200000', {
      outputSchema: listSchema(0),
      response: { maxTokens: 2000 },
    }),
    tool('catalog_strict', '/catalog?bytes=200000', {
      outputSchema: listSchema(500),
      response: { maxTokens: 2000 },
    }),
    tool('lines', '/lines'),
    tool('big_image', '/image?bytes=2000000'),
    tool('lines_huge', '/lines?bytes=9000000'),
  );
  spec.resourceTemplates = [
    {
      uriTemplate: 'lines://{bytes}',
      name: 'lines',
      mimeType: 'text/plain',
      http: { method: 'GET', url: downstream('/lines?bytes={bytes}') },
      response: { maxTokens: 500 },
    },
  ];
  await publishWithApiKey(spec, 'sk_test_shaping_key');
  const token = await mintToken(slug);
  const sessionId = await initialize(slug, token);
  call = async (name, args) => {
    const { message } = await callTool(slug, token, sessionId, name, args);
    return message.result as Result;
  };
  read = async (uri) => {
    const { message } = await rpc(slug, token, sessionId, 'resources/read', { uri });
    return message.result as Awaited<ReturnType<typeof read>>;
  };
});

describe('response shaping', () => {
  it('cuts a 5 MB JSON response to the default budget at whole items, with a note and the next page', async () => {
    const result = await call('catalog', {});
    expect(result.isError).toBeUndefined();
    const [body, note] = result.content;
    const page = JSON.parse(body!.text) as {
      total_count: number;
      items: Item[];
      next_cursor: string;
    };
    // Default budget: 20,000 tokens ≈ 80,000 characters, note included.
    expect(body!.text.length + note!.text.length).toBeLessThanOrEqual(80_000);
    expect(page.total_count).toBe(1_000_000);
    const kept = page.items.length;
    expect(kept).toBeGreaterThan(100);
    expect(page.items.map((i) => i.id)).toEqual(Array.from({ length: kept }, (_, i) => i + 1));
    const m = /^c(\d+)$/.exec(page.next_cursor)!;
    const onPage = Number(m[1]);
    expect(onPage).toBeGreaterThan(10_000); // the API sent the whole 5 MB page
    expect(note!.text).toBe(
      `[Cut to fit the 20,000-token budget: showing ${kept.toLocaleString('en-US')} of ` +
        `${onPage.toLocaleString('en-US')} items of \`items\`.]\n` +
        `Pages of ${kept} fit: call again with {"per_page":${kept}} and follow its next page.\n` +
        `This page has ${onPage.toLocaleString('en-US')} items of 1,000,000. ` +
        `Next page: call catalog with {"cursor":"c${onPage}"}.`,
    );
  });

  it('tells the model the exact arguments of the next page when the page fits', async () => {
    const result = await call('catalog', { cursor: 'c40', per_page: 10 });
    expect(result.content).toHaveLength(2);
    const page = JSON.parse(result.content[0]!.text) as { items: Item[] };
    expect(page.items.map((i) => i.id)).toEqual([41, 42, 43, 44, 45, 46, 47, 48, 49, 50]);
    expect(result.content[1]!.text).toBe(
      'This page has 10 items of 1,000,000. Next page: call catalog with ' +
        '{"cursor":"c50","per_page":10}.',
    );
  });

  it('applies the projection: the selected items with the fields renamed', async () => {
    const result = await call('catalog_projected', {});
    expect(result.content).toHaveLength(1);
    const items = JSON.parse(result.content[0]!.text) as unknown[];
    expect(items.length).toBeGreaterThan(3);
    items.forEach((item, i) => {
      expect(item).toEqual({ id: i + 1, owner: `user${(i + 1) % 97}` });
    });
  });

  it('keeps structured content valid and equal to the cut text', async () => {
    const result = await call('catalog_structured', {});
    const text = JSON.parse(result.content[0]!.text) as { items: unknown[] };
    expect(text.items.length).toBeGreaterThan(0);
    expect(result.structuredContent).toEqual(text);
    expect(result.content[1]!.text).toMatch(/^\[Cut to fit the 2,000-token budget: showing \d+ of/);
  });

  it('leaves structured content out, with a note, when the cut no longer matches outputSchema', async () => {
    const result = await call('catalog_strict', {});
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toBeUndefined();
    expect(result.content.at(-1)!.text).toBe(STRUCTURED_LEFT_OUT);
  });

  it('cuts a 5 MB text response at a line, with a note', async () => {
    const result = await call('lines', {});
    const [body, note] = result.content;
    expect(body!.text.length).toBeLessThanOrEqual(80_000);
    expect(body!.text).toMatch(/^line 0: -+\n[\s\S]*\nline \d+: -+$/);
    const shown = body!.text.split('\n').length;
    expect(note!.text).toMatch(
      new RegExp(
        `^\\[Cut to fit the 20,000-token budget: showing lines 1–${shown.toLocaleString('en-US')} of [\\d,]+ `,
      ),
    );
  });

  it('reads the start of a response past the 8 MiB ceiling and says the API sent more', async () => {
    const result = await call('lines_huge', {});
    expect(result.isError).toBeUndefined();
    expect(result.content[0]!.text.startsWith('line 0: ')).toBe(true);
    expect(result.content.map((c) => c.text)).toContain(
      '[The API sent more than 8 MiB; only the start was read.]',
    );
  });

  it("cuts a resource template's read to its budget, the note a text/plain entry", async () => {
    const { contents } = await read('lines://100000');
    expect(contents).toHaveLength(2);
    expect(contents[0]).toMatchObject({ uri: 'lines://100000', mimeType: 'text/plain' });
    expect(contents[0]!.text.length).toBeLessThanOrEqual(2_000);
    expect(contents[1]).toMatchObject({ uri: 'lines://100000', mimeType: 'text/plain' });
    expect(contents[1]!.text).toMatch(
      /^\[Cut to fit the 500-token budget: showing lines 1–\d+ of /,
    );
  });

  it('leaves out an image over 1 MiB with a note instead of failing', async () => {
    const result = await call('big_image', {});
    expect(result).toEqual({
      content: [
        {
          type: 'text',
          text: 'Image response (image/png, 2000000 bytes) left out: a tool result carries images up to 1 MiB.',
        },
      ],
    });
  });
});
