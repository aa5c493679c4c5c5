// The JSON shapes of /v1/servers answers.
import type { Server } from '../../../../../lib/db/schema';
import type { ServerSpec } from '../../../../../lib/spec/server-spec';
import type { SecretStatus } from '../../store/secrets';

export function serverUrl(env: Pick<Env, 'RUNNER_ORIGIN'>, slug: string): string {
  return `${env.RUNNER_ORIGIN}/${slug}/mcp`;
}

export function serverSummary(env: Pick<Env, 'RUNNER_ORIGIN'>, s: Server) {
  return {
    id: s.id,
    orgId: s.orgId,
    slug: s.slug,
    name: s.name,
    description: s.description,
    visibility: s.visibility,
    url: serverUrl(env, s.slug),
    version: s.currentVersion,
    createdBy: s.createdBy,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** Declared secrets with whether each is set; values are never part of any answer. */
export function secretList(spec: ServerSpec, stored: SecretStatus[]) {
  const byName = new Map(stored.map((s) => [s.name, s]));
  return spec.secrets.map((d) => ({
    name: d.name,
    description: d.description ?? null,
    set: byName.has(d.name),
    updatedAt: byName.get(d.name)?.updatedAt ?? null,
  }));
}

export function serverDetail(
  env: Pick<Env, 'RUNNER_ORIGIN'>,
  s: Server,
  spec: ServerSpec,
  stored: SecretStatus[],
) {
  return {
    ...serverSummary(env, s),
    metadataUrl: `${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${s.slug}/mcp`,
    spec,
    secrets: secretList(spec, stored),
  };
}
