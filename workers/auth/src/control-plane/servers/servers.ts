// /v1/servers: the registry (DESIGN §3 "Servers", §4). A ServerSpec creates a server and publishes
// version 1; PATCH publishes a new immutable version; DELETE makes the URL answer 404. A publish
// that narrows visibility, and a delete, end the access they take away in the same batch.
import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError } from '../../../../../lib/http/api-error';
import { newId } from '../../../../../lib/ids';
import {
  ServerSpecSchema,
  serverSpecJsonSchema,
  type ServerSpec,
} from '../../../../../lib/spec/server-spec';
import type { AppEnv } from '../../app-env';
import { pathParam } from '../path-param';
import { principalOf } from '../../middleware/session';
import { oauthConfig, revocationTtlMs } from '../../authorization-server/config';
import { readJson, validationError } from '../request-body';
import { serverAccessStatements, serverDeletedStatements } from '../../store/access-loss';
import { auditStatement } from '../../store/audit';
import { isUniqueViolation } from '../../store/constraint-violation';
import { listSecretStatus } from '../../store/secrets';
import {
  createServerStatements,
  deleteServerStatement,
  findServerById,
  findServerBySlug,
  getPublishedSpec,
  getVersion,
  latestVersion,
  listServers,
  listVersions,
  publishVersionStatements,
  versionSwitched,
} from '../../store/servers';
import { serverDetail, serverSummary } from './views';
import { ownAnyServer, ownServer, requireWriter } from './access';
import { requestMeta } from '../../request-meta';
import { deleteServerMetricsStatement } from '../../store/tool-metrics';

type Ctx = Context<AppEnv>;

/** RFC 7396 JSON Merge Patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * 409 version_conflict naming the version now current, so the caller can re-read it and retry
 * (or 404 when the server was deleted meanwhile).
 */
async function versionConflict(c: Ctx, serverId: string, based: number) {
  const now = await findServerById(c.env.DB, serverId);
  if (!now) return new ApiError(404, 'not_found', 'No server with this id in your organization.');
  return new ApiError(
    409,
    'version_conflict',
    `This change was based on version ${based}, but version ${now.currentVersion} was published meanwhile. Re-read the server and retry.`,
    { details: { currentVersion: now.currentVersion } },
  );
}

const PatchSchema = z.record(z.string(), z.unknown());
const VersionParam = z.coerce.number().int().min(1).max(1_000_000);

export async function create(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  requireWriter(p);
  const spec = await readJson(c, ServerSpecSchema);
  if (await findServerBySlug(c.env.DB, spec.slug)) {
    throw new ApiError(409, 'slug_taken', `The slug "${spec.slug}" is already in use.`);
  }
  const id = newId('srv');
  const now = Date.now();
  try {
    await c.env.DB.batch([
      ...createServerStatements(c.env.DB, {
        id,
        orgId: p.orgId,
        spec,
        createdBy: p.user.id,
        now,
      }),
      auditStatement(c.env.DB, {
        orgId: p.orgId,
        actor: p.user.id,
        action: 'server.created',
        resource: id,
        ...requestMeta(c.req.raw),
        metadata: { slug: spec.slug, version: 1, tools: spec.tools.length },
        now,
      }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ApiError(409, 'slug_taken', `The slug "${spec.slug}" is already in use.`);
    }
    throw err;
  }
  const server = (await findServerById(c.env.DB, id))!;
  return c.json(serverDetail(c.env, server, spec, []), 201, {
    location: `/v1/servers/${id}`,
  });
}

export async function list(c: Ctx): Promise<Response> {
  const list = await listServers(c.env.DB, principalOf(c).orgId);
  return c.json({ servers: list.map((s) => serverSummary(c.env, s)) });
}

export async function get(c: Ctx): Promise<Response> {
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  const published = await getPublishedSpec(c.env.DB, server.id);
  if (!published) return c.json({ ...serverSummary(c.env, server), spec: null, secrets: [] });
  const stored = await listSecretStatus(c.env.DB, server.id);
  return c.json(serverDetail(c.env, server, published.spec, stored));
}

export async function update(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  requireWriter(p);
  const { server, spec: current, version: base } = await ownServer(c, pathParam(c, 'id'));
  const patch = await readJson(c, PatchSchema);
  let spec: ServerSpec;
  let rollbackOf: number | undefined;
  if ('currentVersion' in patch) {
    // Rollback: `{"currentVersion": n}` republishes version n's spec as a new version, so
    // version numbers only grow and every published state stays in the history.
    const n = VersionParam.safeParse(patch.currentVersion);
    const old = n.success ? await getVersion(c.env.DB, server.id, n.data) : undefined;
    if (!old || Object.keys(patch).length !== 1) {
      throw new ApiError(422, 'validation_failed', 'Invalid field currentVersion.', {
        details: {
          fields: [{ path: 'currentVersion', message: 'Name one existing version, alone.' }],
        },
      });
    }
    spec = old.spec as ServerSpec;
    rollbackOf = old.version;
  } else {
    const parsed = ServerSpecSchema.safeParse(mergePatch(current, patch));
    if (!parsed.success) throw validationError(parsed.error);
    spec = parsed.data;
  }
  if (spec.slug !== server.slug) {
    // The slug is in the URL, the RFC 8707 resource and every issued token's aud.
    throw new ApiError(422, 'validation_failed', 'Invalid field slug: a slug cannot change.', {
      details: { fields: [{ path: 'slug', message: 'A slug cannot change.' }] },
    });
  }
  const now = Date.now();
  const next = (await latestVersion(c.env.DB, server.id)) + 1;
  let switched = false;
  try {
    const results = await c.env.DB.batch([
      // Compare-and-set on the version this change was computed from: a PATCH merged onto
      // version n must not replace a version n+1 published meanwhile (a lost update).
      ...publishVersionStatements(c.env.DB, {
        serverId: server.id,
        version: next,
        replaces: base,
        spec,
        createdBy: p.user.id,
        note: rollbackOf ? `rollback to version ${rollbackOf}` : null,
        now,
      }),
      auditStatement(
        c.env.DB,
        {
          orgId: p.orgId,
          actor: p.user.id,
          action: 'server.updated',
          resource: server.id,
          ...requestMeta(c.req.raw),
          metadata: { slug: server.slug, version: next, fields: Object.keys(patch), rollbackOf },
          now,
        },
        'changed',
      ),
      ...serverAccessStatements(
        c.env.DB,
        { id: server.id, previousVisibility: server.visibility },
        now,
        revocationTtlMs(oauthConfig(c.env)),
      ),
    ]);
    switched = versionSwitched(results[1]);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  if (!switched) throw await versionConflict(c, server.id, base);
  const updated = (await findServerById(c.env.DB, server.id))!;
  return c.json(serverDetail(c.env, updated, spec, await listSecretStatus(c.env.DB, server.id)));
}

export async function remove(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  requireWriter(p);
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  const now = Date.now();
  await c.env.DB.batch([
    deleteServerStatement(c.env.DB, server.id),
    deleteServerMetricsStatement(c.env.DB, server.id),
    auditStatement(c.env.DB, {
      orgId: p.orgId,
      actor: p.user.id,
      action: 'server.deleted',
      resource: server.id,
      ...requestMeta(c.req.raw),
      metadata: { slug: server.slug },
      now,
    }),
    ...serverDeletedStatements(c.env.DB, server.id, now, revocationTtlMs(oauthConfig(c.env))),
  ]);
  return c.body(null, 204);
}

export async function versions(c: Ctx): Promise<Response> {
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  return c.json({
    current: server.currentVersion,
    versions: await listVersions(c.env.DB, server.id),
  });
}

export async function version(c: Ctx): Promise<Response> {
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  const n = VersionParam.safeParse(pathParam(c, 'version'));
  const found = n.success ? await getVersion(c.env.DB, server.id, n.data) : undefined;
  if (!found) throw new ApiError(404, 'not_found', 'No such version.');
  return c.json(found);
}

/** GET /v1/schemas/server-spec.json: public, for editors (`"$schema"`) and docs. */
export const serverSpecSchema = (c: Ctx) =>
  c.json(serverSpecJsonSchema(), 200, { 'cache-control': 'public, max-age=3600' });
