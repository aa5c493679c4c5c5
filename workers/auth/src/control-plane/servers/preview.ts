// POST /v1/servers/preview (DESIGN §3, wizard step 1) and GET /v1/slugs/:slug (live availability).
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app-env';
import { pathParam } from '../path-param';
import { preview } from '../describe/preview';
import { slugAvailability } from '../describe/slug-availability';
import { describeRoute } from '../../openapi';
import { readJson } from '../request-body';

type Ctx = Context<AppEnv>;

const PreviewSchema = z
  .object({
    openapi: z.string().min(1).optional(),
    prompt: z.string().trim().min(1).max(8000).optional(),
    spec: z.record(z.string(), z.unknown()).optional(),
    name: z.string().trim().min(1).max(100).optional(),
    slug: z.string().trim().min(1).max(64).optional(),
    operations: z.array(z.string().min(1).max(300)).max(1000).optional(),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict()
  .refine((b) => [b.openapi, b.prompt, b.spec].filter((v) => v !== undefined).length === 1, {
    message: 'Send exactly one of "openapi", "prompt" or "spec".',
    path: [],
  });

describeRoute('POST', '/v1/servers/preview', {
  summary: 'Preview the MCP tools an API description yields',
  body: PreviewSchema,
});

export async function describe(c: Ctx): Promise<Response> {
  const body = await readJson(c, PreviewSchema);
  return c.json(await preview(c.env, body), 200, { 'cache-control': 'no-store' });
}

export async function slug(c: Ctx): Promise<Response> {
  return c.json(await slugAvailability(c.env.DB, pathParam(c, 'slug')), 200, {
    'cache-control': 'no-store',
  });
}
