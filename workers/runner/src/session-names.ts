// Durable Object names of the runner's sessions. A session's object is addressed by its principal
// as well as its id, so another principal's token reaches a different, empty object.
import { sha256Hex } from '../../../lib/crypto/hash';

export type PrincipalKey = { serverId: string; sub: string; clientId: string };

/** McpSession: one per MCP session of (server, `sub`, `client_id`). */
export function sessionName(p: PrincipalKey, sessionId: string): Promise<string> {
  return sha256Hex(`${p.serverId}\n${p.sub}\n${p.clientId}\n${sessionId}`);
}

/** PrincipalSessions: one per (server, `sub`, `client_id`). */
export function principalName(p: PrincipalKey): Promise<string> {
  return sha256Hex(`principal\n${p.serverId}\n${p.sub}\n${p.clientId}`);
}
