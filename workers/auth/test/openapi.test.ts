import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import app from '../src/index';

type Doc = {
  openapi: string;
  info: { title: string };
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: {
          content: Record<
            string,
            { schema: { required?: string[]; properties?: Record<string, unknown> } }
          >;
        };
      }
    >
  >;
};

async function fetchDoc(): Promise<{ res: Response; doc: Doc }> {
  const res = await exports.default.fetch('http://127.0.0.1:8787/api/openapi.json');
  return { res, doc: await res.json<Doc>() };
}

describe('GET /api/openapi.json', () => {
  it('serves a cacheable OpenAPI 3.1 document', async () => {
    const { res, doc } = await fetchDoc();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Moat API');
    expect(Object.keys(doc.paths).length).toBeGreaterThan(10);
  });

  it('lists every /v1 route of the route table with its method', async () => {
    const { doc } = await fetchDoc();
    const v1 = app.routes.filter(
      (r) => r.path.startsWith('/v1/') && r.method !== 'ALL' && !r.path.includes('*'),
    );
    expect(v1.length).toBeGreaterThan(10);
    const missing = v1.filter(
      (r) => !doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()],
    );
    expect(missing).toEqual([]);
  });

  it('carries the zod request-body schemas of POST /v1/servers/preview and POST /v1/api-keys', async () => {
    const { doc } = await fetchDoc();
    const body = (path: string) =>
      doc.paths[path]?.post?.requestBody?.content['application/json']?.schema;
    expect(body('/v1/api-keys')).toMatchObject({
      type: 'object',
      required: ['name'],
      additionalProperties: false,
    });
    expect(Object.keys(body('/v1/servers/preview')?.properties ?? {})).toEqual(
      expect.arrayContaining(['openapi', 'prompt', 'spec', 'baseUrl']),
    );
  });
});
