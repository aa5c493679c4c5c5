// The visibility check on the hot token paths (refresh, client_credentials), with positive answers
// cached in the isolate for a few seconds: losing access takes effect within that time. Consent
// always checks afresh.
import type { Server } from '../../../../lib/db/schema';
import { userMayUseServer } from '../store/server-access';

const TTL_MS = 5_000;
const allowed = new Map<string, number>();

export async function mayUseServerCached(
  db: D1Database,
  server: Pick<Server, 'id' | 'orgId' | 'createdBy' | 'visibility'>,
  userId: string,
): Promise<boolean> {
  const key = `${server.id}|${server.visibility}|${userId}`;
  const at = allowed.get(key);
  if (at !== undefined && Date.now() - at < TTL_MS) return true;
  const ok = await userMayUseServer(db, server, userId);
  if (ok) {
    if (allowed.size > 5000) allowed.clear();
    allowed.set(key, Date.now());
  } else {
    allowed.delete(key);
  }
  return ok;
}
