// Who may touch which server: the caller's org only, and writes for owners and admins.
import type { Context } from 'hono';
import { ApiError } from '../../../../../lib/http/api-error';
import type { AppEnv, Principal } from '../../app-env';
import { principalOf } from '../../middleware/session';
import { findServerById, getPublishedSpec } from '../../store/servers';

type Ctx = Context<AppEnv>;

/** Members read; owners and admins change servers and their secrets. */
export function requireWriter(p: Principal): void {
  if (p.role === 'member') {
    throw new ApiError(403, 'forbidden', 'Only owners and admins of the organization can do this.');
  }
}

/**
 * The server, if it belongs to the caller's org; otherwise 404 (no cross-org existence leak).
 * Drafts (created by a build that has not published yet) are included.
 */
export async function ownAnyServer(c: Ctx, id: string) {
  const server = await findServerById(c.env.DB, id);
  if (!server || server.orgId !== principalOf(c).orgId) {
    throw new ApiError(404, 'not_found', 'No server with this id in your organization.');
  }
  return server;
}

/** As ownAnyServer, plus its published spec; a draft answers 409 not_published. */
export async function ownServer(c: Ctx, id: string) {
  const server = await ownAnyServer(c, id);
  const published = await getPublishedSpec(c.env.DB, server.id);
  if (!published) {
    throw new ApiError(409, 'not_published', 'This server has no published version yet.');
  }
  return { server, ...published };
}
