// OpenAPI 3.1 document built at runtime from the Hono route table, so no route can be left out.
// Request-body schemas come from the zod schemas the routes validate with (`readJson`).
import { z } from 'zod';

type Described = { summary?: string; body?: z.ZodType };
const registry = new Map<string, Described>();

/** Documents one route: `describeRoute('POST', '/v1/api-keys', { summary, body: Schema })`. */
export function describeRoute(method: string, path: string, doc: Described): void {
  registry.set(`${method.toUpperCase()} ${path}`, doc);
}

export type RouteEntry = { method: string; path: string };

const DOCUMENTED =
  /^\/(v1\/|\.well-known\/|authorize$|consent$|token$|register$|revoke$|introspect$)/;

/** The `/v1` and OAuth endpoints of a route table, minus middleware and wildcard entries. */
export function documentedRoutes(routes: readonly RouteEntry[]): RouteEntry[] {
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (r.method === 'ALL' || r.path.includes('*') || !DOCUMENTED.test(r.path) || seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

export function openApiDocument(routes: readonly RouteEntry[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path } of documentedRoutes(routes)) {
    const doc = registry.get(`${method} ${path}`);
    const params = [...path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const op: Record<string, unknown> = {
      tags: [path.split('/')[1] === 'v1' ? (path.split('/')[2] ?? 'v1') : 'oauth'],
      summary: doc?.summary ?? `${method} ${path}`,
      responses: { default: { description: 'See docs/api.md.' } },
    };
    if (params.length > 0) op.parameters = params;
    if (doc?.body) {
      op.requestBody = {
        required: true,
        content: { 'application/json': { schema: z.toJSONSchema(doc.body, { io: 'input' }) } },
      };
    }
    (paths[openApiPath(path)] ??= {})[method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Moat API', version: '1' },
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'moat_session',
          description: 'Browser session (__Host-moat_session over https).',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'API key (moat_sk_…) or control-plane OAuth access token.',
        },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
    paths,
  };
}
