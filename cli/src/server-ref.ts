// `<server>` on the command line: a server id (`srv_…`) or a slug (slugs never contain `_`).
import type { ServerDetail, ServerList } from '../../lib/api/servers.ts';
import type { ControlPlane } from './api.ts';
import { CliError, EXIT } from './cli-error.ts';

export type { SecretStatus } from '../../lib/api/secrets.ts';
export type { ServerDetail, ServerSummary } from '../../lib/api/servers.ts';

export async function resolveServerId(api: ControlPlane, ref: string): Promise<string> {
  if (ref.includes('_')) return ref;
  const { servers } = await api.get<ServerList>('/v1/servers');
  const found = servers.find((s) => s.slug === ref);
  if (!found) {
    throw new CliError(`No server "${ref}" in your organization.`, {
      exitCode: EXIT.notFound,
      hint: '`moat servers list` shows your servers.',
      code: 'not_found',
    });
  }
  return found.id;
}

export async function getServer(api: ControlPlane, ref: string): Promise<ServerDetail> {
  const id = await resolveServerId(api, ref);
  return api.get<ServerDetail>(`/v1/servers/${encodeURIComponent(id)}`);
}
