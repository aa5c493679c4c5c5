// Durable Object names of the runner's sessions. A session's object is addressed by its principal
// as well as its id, so another principal's token reaches a different, empty object.
import { sha256Hex } from '../../../lib/crypto/hash';

export type PrincipalKey = { serverId: string; sub: string; clientId: string };

/**
 * McpSession: one per MCP session of (server, `sub`, `client_id`), and per toolset: a session
 * opened at `/{slug}/{toolset}/mcp` is another object than the same id at any other URL of the
 * server, so its id never reaches the full server's or another toolset's tools.
 */
export function sessionName(p: PrincipalKey, sessionId: string, toolset?: string): Promise<string> {
  const base = `${p.serverId}\n${p.sub}\n${p.clientId}\n${sessionId}`;
  // The full server's names are unchanged (sessions open when this shipped stay reachable).
  return sha256Hex(toolset === undefined ? base : `${base}\ntoolset\n${toolset}`);
}

/** PrincipalSessions: one per (server, `sub`, `client_id`). */
export function principalName(p: PrincipalKey): Promise<string> {
  return sha256Hex(`principal\n${p.serverId}\n${p.sub}\n${p.clientId}`);
}
