import { describe, expect, it } from 'vitest';
import { ServerSpecSchema } from '../spec/server-spec';
import { openApiToServerSpec } from './convert';

const q = (name: string, type = 'string') => ({ name, in: 'query', schema: { type } });
const json = (schema: unknown) => ({
  '200': { description: 'ok', content: { 'application/json': { schema } } },
});
const list = (extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: {
    data: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
    ...extra,
  },
});

function doc(paths: Record<string, unknown>): string {
  return JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'Paged', version: '1' },
    servers: [{ url: 'https://api.example.com' }],
    paths,
  });
}

async function tools(paths: Record<string, unknown>) {
  const { spec } = await openApiToServerSpec(doc(paths));
  expect(ServerSpecSchema.safeParse(spec).success).toBe(true);
  return Object.fromEntries(spec.tools.map((t) => [t.name, t.response?.pagination]));
}

describe('pagination proposals from OpenAPI', () => {
  it('proposes cursor pagination with the response field that holds the next cursor', async () => {
    const t = await tools({
      '/things': {
        get: {
          operationId: 'listThings',
          parameters: [q('cursor'), q('per_page', 'integer')],
          responses: json(
            list({
              meta: { type: 'object', properties: { next_cursor: { type: 'string' } } },
              total_count: { type: 'integer' },
            }),
          ),
        },
      },
    });
    expect(t.listThings).toEqual({
      style: 'cursor',
      param: 'cursor',
      next: 'meta.next_cursor',
      sizeParam: 'per_page',
      items: 'data',
      total: 'total_count',
    });
  });

  it("proposes Stripe's starting_after as the last item's id, guarded by has_more", async () => {
    const t = await tools({
      '/v1/customers': {
        get: {
          operationId: 'listCustomers',
          parameters: [q('starting_after'), q('limit', 'integer')],
          responses: json(list({ has_more: { type: 'boolean' } })),
        },
      },
    });
    expect(t.listCustomers).toMatchObject({
      style: 'cursor',
      param: 'starting_after',
      next: 'data[-1].id',
      hasMore: 'has_more',
    });
  });

  it('proposes page and offset styles when the response has items to count', async () => {
    const t = await tools({
      '/a': {
        get: { operationId: 'pageA', parameters: [q('page', 'integer')], responses: json(list()) },
      },
      '/b': {
        get: {
          operationId: 'offsetB',
          parameters: [q('offset', 'integer'), q('limit', 'integer')],
          responses: json({ type: 'array', items: { type: 'object' } }),
        },
      },
    });
    expect(t.pageA).toEqual({ style: 'page', param: 'page', items: 'data' });
    expect(t.offsetB).toEqual({ style: 'offset', param: 'offset', sizeParam: 'limit' });
  });

  it('proposes nothing without an obvious parameter or a field to go with it', async () => {
    const t = await tools({
      '/a': { get: { operationId: 'noParam', parameters: [q('q')], responses: json(list()) } },
      '/b': {
        get: {
          operationId: 'noNextField',
          parameters: [q('cursor')],
          responses: json(list()),
        },
      },
      '/c': {
        get: {
          operationId: 'noItems',
          parameters: [q('page', 'integer')],
          responses: json({ type: 'object', properties: { name: { type: 'string' } } }),
        },
      },
    });
    expect(t).toEqual({ noParam: undefined, noNextField: undefined, noItems: undefined });
  });
});
