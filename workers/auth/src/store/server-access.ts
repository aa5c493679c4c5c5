// Who may authorize a client for a hosted server (DESIGN §4 visibility): `private` — the server's
// creator and the owners of its org; `org` — any member of its org; `public` — any signed-in user.
import type { Server } from '../../../../lib/db/schema';

export async function userMayUseServer(
  db: D1Database,
  server: Pick<Server, 'orgId' | 'createdBy' | 'visibility'>,
  userId: string,
): Promise<boolean> {
  if (server.visibility === 'public') return true;
  if (server.visibility === 'private' && server.createdBy === userId) return true;
  const row = await db
    .prepare('SELECT role FROM members WHERE org_id = ? AND user_id = ?')
    .bind(server.orgId, userId)
    .first<{ role: string }>();
  if (!row) return false;
  return server.visibility === 'org' || row.role === 'owner';
}
