// Builds (issue 7, wizard step 3): POST /v1/builds (draft server + secrets + build in one go),
// POST/GET /v1/servers/:id/builds, GET /v1/builds/:id (status and log), GET /v1/builds/:id/log
// (WebSocket of log lines from the build's Durable Object).
import type { Context } from 'hono';
import { z } from 'zod';
import type { BuildFailure } from '../../../../../lib/build/build-log';
import { ApiError } from '../../../../../lib/http/api-error';
import { installSnippets } from '../../../../../lib/snippets';
import {
  ServerSpecSchema,
  formatSpecIssues,
  type ServerSpec,
} from '../../../../../lib/spec/server-spec';
import type { AppEnv } from '../../app-env';
import { pathParam } from '../path-param';
import { startBuild, type StartBuild } from '../build/start-build';
import { issuerOrigin } from '../../middleware/csrf';
import { principalOf } from '../../middleware/session';
import { readJson } from '../request-body';
import { findBuild, listBuilds } from '../../store/builds';
import { findServerById, findServerBySlug, getPublishedSpec } from '../../store/servers';
import { requireWriter } from './access';
import { requestMeta } from '../../request-meta';

type Ctx = Context<AppEnv>;

const Options = {
  secrets: z.record(z.string().max(64), z.string().min(1).max(16_384)).optional(),
  sampleArgs: z.record(z.string().max(64), z.record(z.string(), z.unknown())).optional(),
  testWrites: z.union([z.boolean(), z.array(z.string().max(64)).max(128)]).optional(),
};
const NewBuildSchema = z.object({ spec: z.record(z.string(), z.unknown()), ...Options }).strict();
const ServerBuildSchema = z
  .object({ spec: z.record(z.string(), z.unknown()).optional(), ...Options })
  .strict();

function parseSpec(value: unknown): ServerSpec {
  const parsed = ServerSpecSchema.safeParse(value);
  if (!parsed.success) {
    const issues = formatSpecIssues(parsed.error);
    throw new ApiError(
      422,
      'invalid_spec',
      `Invalid ServerSpec: ${issues[0]!.path}: ${issues[0]!.message}`,
      {
        details: { issues },
      },
    );
  }
  return parsed.data;
}

const mcpUrl = (env: Env, slug: string) => `${env.RUNNER_ORIGIN.replace(/\/+$/, '')}/${slug}/mcp`;

function started(c: Ctx, ids: { buildId: string; serverId: string }, spec: ServerSpec) {
  const url = mcpUrl(c.env, spec.slug);
  return c.json(
    {
      id: ids.buildId,
      buildId: ids.buildId,
      status: 'queued',
      serverId: ids.serverId,
      server: { id: ids.serverId, slug: spec.slug, url },
      url,
      logUrl: `/v1/builds/${ids.buildId}/log`,
    },
    202,
    { 'cache-control': 'no-store', location: `/v1/builds/${ids.buildId}` },
  );
}

/** Starts the build of `spec` (for `server`, or a new draft) and answers 202 with where to follow it. */
async function launch(
  c: Ctx,
  server: StartBuild['server'],
  spec: ServerSpec,
  body: Omit<z.infer<typeof ServerBuildSchema>, 'spec'>,
): Promise<Response> {
  const ids = await startBuild(c.env, {
    principal: principalOf(c),
    server,
    spec,
    secrets: body.secrets ?? {},
    options: {
      ...(body.sampleArgs ? { sampleArgs: body.sampleArgs } : {}),
      ...(body.testWrites !== undefined ? { testWrites: body.testWrites } : {}),
    },
    meta: requestMeta(c.req.raw),
  });
  return started(c, ids, spec);
}

/** A server of the caller's org (drafts included), else 404. */
async function orgServer(c: Ctx, id: string) {
  const server = await findServerById(c.env.DB, id);
  if (!server || server.orgId !== principalOf(c).orgId) {
    throw new ApiError(404, 'not_found', 'No server with this id in your organization.');
  }
  return server;
}

async function orgBuild(c: Ctx, id: string) {
  const build = await findBuild(c.env.DB, id);
  if (!build || build.orgId !== principalOf(c).orgId) {
    throw new ApiError(404, 'not_found', 'No build with this id in your organization.');
  }
  return build;
}

export async function startNew(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  requireWriter(p);
  const body = await readJson(c, NewBuildSchema);
  const spec = parseSpec(body.spec);
  const existing = await findServerBySlug(c.env.DB, spec.slug);
  if (existing && existing.orgId !== p.orgId) {
    throw new ApiError(409, 'slug_taken', `The slug "${spec.slug}" is taken; choose another.`);
  }
  return launch(c, existing, spec, body);
}

export async function startForServer(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  requireWriter(p);
  const server = await orgServer(c, pathParam(c, 'id'));
  const body = await readJson(c, ServerBuildSchema);
  let spec: ServerSpec;
  if (body.spec) spec = parseSpec(body.spec);
  else {
    const published = await getPublishedSpec(c.env.DB, server.id);
    if (!published)
      throw new ApiError(409, 'no_spec', 'This server has no published version; send "spec".');
    spec = published.spec;
  }
  if (spec.slug !== server.slug) {
    throw new ApiError(422, 'slug_mismatch', `The spec's slug must stay "${server.slug}".`);
  }
  return launch(c, server, spec, body);
}

export async function listForServer(c: Ctx): Promise<Response> {
  const server = await orgServer(c, pathParam(c, 'id'));
  const builds = await listBuilds(c.env.DB, server.id);
  return c.json({
    builds: builds.map((b) => ({
      ...b,
      error: b.error ? (JSON.parse(b.error) as BuildFailure) : null,
    })),
  });
}

export async function get(c: Ctx): Promise<Response> {
  const build = await orgBuild(c, pathParam(c, 'id'));
  const server = await findServerById(c.env.DB, build.serverId);
  const spec = build.spec as ServerSpec;
  const slug = server?.slug ?? spec.slug;
  const url = mcpUrl(c.env, slug);
  return c.json(
    {
      id: build.id,
      serverId: build.serverId,
      slug,
      status: build.status,
      version: build.version,
      error: build.error ? (JSON.parse(build.error) as BuildFailure) : null,
      log: build.log ?? [],
      options: build.options ?? {},
      spec,
      createdBy: build.createdBy,
      createdAt: build.createdAt,
      finishedAt: build.finishedAt,
      url,
      ...(build.status === 'succeeded' ? { snippets: installSnippets(spec.name, slug, url) } : {}),
    },
    200,
    { 'cache-control': 'no-store' },
  );
}

export async function log(c: Ctx): Promise<Response> {
  // Browsers send cookies on cross-site WebSocket handshakes: only our own origin may open it
  // (RFC 6455 §10.2). Non-browser clients (API keys) send no Origin.
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== issuerOrigin(c.env)) {
    throw new ApiError(
      403,
      'forbidden_origin',
      'The build log can only be opened from the Moat origin.',
    );
  }
  const build = await orgBuild(c, pathParam(c, 'id'));
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError(
      426,
      'upgrade_required',
      'Open this URL as a WebSocket; or read GET /v1/builds/:id.',
      {
        headers: { upgrade: 'websocket' },
      },
    );
  }
  return c.env.BUILDS.get(c.env.BUILDS.idFromName(build.id)).fetch(c.req.raw);
}
