// Starting a build: the draft server (for a new slug), the secrets the owner entered, the build
// row and its audit events go in one D1 batch; then the build's Durable Object takes over.
import type { BuildOptions } from '../../../../../lib/build/build-log';
import type { Server } from '../../../../../lib/db/schema';
import { ApiError } from '../../../../../lib/http/api-error';
import { newId } from '../../../../../lib/ids';
import type { ServerSpec } from '../../../../../lib/spec/server-spec';
import type { Principal } from '../../app-env';
import { type AuditInput, auditStatement } from '../../store/audit';
import { isUniqueViolation } from '../../store/constraint-violation';
import { insertBuildStatement } from '../../store/builds';
import { putSecretStatement } from '../../store/secrets';
import { createDraftServerStatement } from '../../store/servers';

export type StartBuild = {
  principal: Principal;
  /** The existing server, or undefined to create a draft server from `spec`. */
  server: Server | undefined;
  spec: ServerSpec;
  secrets: Record<string, string>;
  options: BuildOptions;
  meta: { ip?: string | undefined; userAgent?: string | undefined };
};

export async function startBuild(env: Env, s: StartBuild) {
  const declared = new Set(s.spec.secrets.map((d) => d.name));
  const unknown = Object.keys(s.secrets).filter((n) => !declared.has(n));
  if (unknown.length > 0) {
    throw new ApiError(
      422,
      'unknown_secret',
      `Secret ${unknown[0]} is not declared in the spec's "secrets".`,
    );
  }
  const now = Date.now();
  const serverId = s.server?.id ?? newId('srv');
  const buildId = newId('bld');
  const actor = s.principal.user.id;
  const orgId = s.principal.orgId;
  const audit = (action: AuditInput['action'], metadata: Record<string, unknown>) =>
    auditStatement(env.DB, {
      orgId,
      actor,
      action,
      resource: serverId,
      ip: s.meta.ip ?? null,
      userAgent: s.meta.userAgent ?? null,
      metadata,
      now,
    });

  const statements: D1PreparedStatement[] = [];
  if (!s.server) {
    statements.push(
      createDraftServerStatement(env.DB, {
        id: serverId,
        orgId,
        spec: s.spec,
        createdBy: actor,
        now,
      }),
      audit('server.created', { slug: s.spec.slug, draft: true }),
    );
  }
  for (const [name, value] of Object.entries(s.secrets)) {
    statements.push(
      await putSecretStatement(env.DB, env.MASTER_KEY, {
        serverId,
        name,
        value,
        updatedBy: actor,
        now,
      }),
      audit('server.secret.set', { name }),
    );
  }
  statements.push(
    insertBuildStatement(env.DB, {
      id: buildId,
      serverId,
      orgId,
      spec: s.spec as unknown as Record<string, unknown>,
      options: s.options as Record<string, unknown>,
      createdBy: actor,
      now,
    }),
    audit('build.started', { build: buildId, slug: s.spec.slug }),
  );
  try {
    await env.DB.batch(statements);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ApiError(409, 'slug_taken', `The slug "${s.spec.slug}" is taken; choose another.`);
    }
    throw err;
  }
  const stub = env.BUILDS.get(env.BUILDS.idFromName(buildId));
  await stub.start({
    id: buildId,
    serverId,
    orgId,
    slug: s.spec.slug,
    createdBy: actor,
    spec: s.spec,
    options: s.options,
  });
  return { buildId, serverId };
}
