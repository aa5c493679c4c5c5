// The 2025-era handler: one McpSession Durable Object per MCP session (MCP 2025-11-25 transports
// §Session Management), addressed by a name that includes the caller, so another principal's
// token can never even reach someone else's session. Its SSE answers end once the token is no
// longer good (stream-guard.ts).
import type { Context } from 'hono';
import { randomToken } from '../../../../lib/ids';
import { stillValid } from '../bearer';
import { JsonRpcError, sessionNotFound } from '../json-rpc-error';
import { revocationTiming } from '../revocation-list';
import type { SessionRequest } from '../session';
import { sessionName } from '../session-names';
import { guardStream } from '../stream-guard';
import { interruptedEvent, sessionInterrupted } from './session-interrupted';
import type { McpEnv } from './mcp-env';

const SESSION_ID = /^[a-z2-7]{32}$/;

const sessionIdRequired = (id: string | number | null = null) =>
  new JsonRpcError(400, -32000, 'Bad Request: Mcp-Session-Id header is required', { id });

export async function legacySession(c: Context<McpEnv>): Promise<Response> {
  const { server, principal, message } = c.var;
  const req = c.req.raw;
  let sessionId = req.headers.get('mcp-session-id') ?? undefined;
  if (req.method === 'POST') {
    if (sessionId === undefined) {
      if (message?.method !== 'initialize') throw sessionIdRequired(message?.id);
      sessionId = randomToken(20);
    }
  } else if (req.method === 'GET' || req.method === 'DELETE') {
    if (sessionId === undefined) throw sessionIdRequired();
  } else {
    throw new JsonRpcError(405, -32000, 'Method not allowed', {
      headers: { allow: 'GET, POST, DELETE' },
    });
  }
  if (!SESSION_ID.test(sessionId)) throw sessionNotFound(message?.id);

  const stub = c.env.SESSIONS.get(
    c.env.SESSIONS.idFromName(
      await sessionName(
        { serverId: server.id, sub: principal.sub, clientId: principal.clientId },
        sessionId,
        server.toolset,
      ),
    ),
  );
  const headers: [string, string][] = [];
  req.headers.forEach((value, name) => {
    if (name !== 'authorization' && name !== 'cookie') headers.push([name, value]);
  });
  const request: SessionRequest = {
    sessionId,
    server: {
      id: server.id,
      orgId: server.orgId,
      slug: server.slug,
      version: server.version,
      ...(server.toolset ? { toolset: server.toolset } : {}),
    },
    principal,
    http: { method: req.method, url: req.url, headers },
    body: message?.body,
  };
  const id = message?.id ?? null;
  const answer = await stub.handle(request).catch((err: unknown) => {
    console.error('session interrupted', { name: (err as Error).name });
    throw sessionInterrupted(id);
  });
  return guardStream(
    answer,
    () => stillValid(c.env, server, principal),
    revocationTiming(c.env).streamCheckMs,
    interruptedEvent(id),
  );
}
