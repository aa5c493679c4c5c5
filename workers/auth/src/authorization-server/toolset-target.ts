// A toolset (`{RUNNER_ORIGIN}/{slug}/{toolset}/mcp`, issue 14) is a resource only while the
// server's published version has it: the runner serves it then, and answers 404 once a later
// version drops it. `/authorize` and client_credentials resolve the resource and refuse it then
// (resource-server.ts); a code or a refresh token names its resource by URL from an earlier
// version, so their grants check it here before issuing: `invalid_target`, RFC 8707 §2 (the
// resource is "unknown"). The grant is kept, not revoked: the refresh token is not what is wrong,
// and a later version may bring the toolset back (docs/decisions.md 2026-12-03 "A token for a
// toolset that is gone").
import type { Server } from '../../../../lib/db/schema';
import { OAuthError } from '../../../../lib/oauth/errors';
import { toolsetOfResource } from '../../../../lib/oauth/resource';
import { findToolset } from '../../../../lib/spec/narrow-to-toolset';
import type { ServerSpec } from '../../../../lib/spec/server-spec';
import { getVersion } from '../store/servers';

/** `{server id}@{version}/{toolset}` → whether that version has it. Versions never change. */
const known = new Map<string, boolean>();
const MAX_ENTRIES = 1000;

/** Throws `invalid_target` when `resource` names a toolset the server no longer publishes. */
export async function assertToolsetServed(
  db: D1Database,
  server: Pick<Server, 'id' | 'currentVersion'>,
  resource: string,
): Promise<void> {
  const toolset = toolsetOfResource(resource);
  if (toolset === undefined) return;
  if (!(await served(db, server, toolset))) {
    throw new OAuthError('invalid_target', 'The server no longer publishes this toolset.');
  }
}

async function served(
  db: D1Database,
  { id, currentVersion }: Pick<Server, 'id' | 'currentVersion'>,
  toolset: string,
): Promise<boolean> {
  if (currentVersion === null) return false;
  const key = `${id}@${currentVersion}/${toolset}`;
  const hit = known.get(key);
  if (hit !== undefined) return hit;
  const version = await getVersion(db, id, currentVersion);
  const has =
    version !== undefined && findToolset(version.spec as ServerSpec, toolset) !== undefined;
  if (known.size >= MAX_ENTRIES) known.clear();
  known.set(key, has);
  return has;
}
