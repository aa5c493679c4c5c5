// The access check every token-minting path makes (authorize and consent, code redemption,
// refresh, client_credentials): afresh, never cached, so losing access takes effect on the next
// request. The control plane has no servers row; any signed-in user may use it, as themselves.
import { userMayUseServer } from '../store/server-access';
import { CONTROL_PLANE_SERVER_ID } from './control-plane';

export async function userMayUseTarget(
  db: D1Database,
  serverId: string,
  userId: string,
): Promise<boolean> {
  if (serverId === CONTROL_PLANE_SERVER_ID) return true;
  return userMayUseServer(db, serverId, userId);
}
