// Link 6: which protocol era the request speaks decides its handler.
import type { Context } from 'hono';
import { legacySession } from './legacy-session';
import type { McpEnv } from './mcp-env';

export function eraHandler(c: Context<McpEnv>): Promise<Response> {
  return legacySession(c);
}
