// `{RUNNER_ORIGIN}/{slug}/mcp`: the order of checks is the security design (DESIGN §6):
// resolve the server → bearer token (401) → Origin (403) → scope for tools/call (403) → the
// session's Durable Object, addressed by a name that includes the caller, so another principal's
// token can never even reach someone else's session.
import { toolScopes } from '../../../lib/spec/server-spec';
import { randomToken } from '../../../lib/ids';
import { hasScopes, stillValid, verifyBearer } from './bearer';
import { jsonRpcError } from './json-rpc-error';
import { readMcpBody } from './mcp-request-body';
import { primitiveScopeNeed } from './primitives/required-scopes';
import { bearerChallenge } from './protected-resource-metadata';
import { revocationTiming } from './revocation-list';
import type { HostedServer } from './server-cache';
import { sessionNotFound, type SessionRequest } from './session';
import { sessionName } from './session-names';
import { guardStream } from './stream-guard';

const SESSION_ID = /^[a-z2-7]{32}$/;

/**
 * MCP 2025-11-25 transports §Security: validate Origin against DNS rebinding. Requests without
 * Origin (non-browser clients) pass; browser requests must come from the platform's own origins.
 */
function originAllowed(req: Request, env: Pick<Env, 'ISSUER' | 'RUNNER_ORIGIN'>): boolean {
  const origin = req.headers.get('origin');
  return origin === null || origin === env.RUNNER_ORIGIN || origin === env.ISSUER;
}

export async function handleMcp(req: Request, env: Env, server: HostedServer): Promise<Response> {
  const auth = await verifyBearer(req, env, server);
  if (!auth.ok && auth.unavailable) {
    // Fail closed, but not with invalid_token: the token may be good (RFC 9110 §15.6.4).
    return jsonRpcError(503, -32000, 'Token status cannot be checked; retry shortly', {
      'retry-after': '5',
    });
  }
  if (!auth.ok) {
    // RFC 6750 §3.1 + RFC 9728 §5.1: no error code when no token was sent.
    const challenge = bearerChallenge(
      env,
      server.slug,
      auth.tokenSent
        ? { error: 'invalid_token', description: 'The access token is not valid for this server' }
        : {},
    );
    return new Response(
      JSON.stringify({
        error: auth.tokenSent ? 'invalid_token' : 'unauthorized',
        error_description: 'Bearer token required',
      }),
      {
        status: 401,
        headers: { 'content-type': 'application/json', 'www-authenticate': challenge },
      },
    );
  }
  if (!originAllowed(req, env)) return jsonRpcError(403, -32000, 'Forbidden: Origin not allowed');

  const principal = auth.principal;
  let body: unknown;
  let sessionId = req.headers.get('mcp-session-id') ?? undefined;
  if (req.method === 'POST') {
    const parsed = await readMcpBody(req);
    if (!parsed.ok) return parsed.res;
    body = parsed.body;
    // Batches were removed from MCP in 2025-06-18; refusing them also keeps the scope check
    // below looking at the one message that will run.
    if (Array.isArray(body)) {
      return jsonRpcError(400, -32600, 'Invalid Request: JSON-RPC batches are not supported');
    }
    const msg = body as { method?: unknown; params?: { name?: unknown; uri?: unknown } } | null;
    const need = primitiveScopeNeed(server.spec, msg?.method, msg?.params);
    if (need && !hasScopes(principal.scopes, need.scopes)) {
      return jsonRpcError(
        403,
        -32003,
        `The token lacks scope ${need.scopes.join(' ')} for ${need.what}`,
        {
          'www-authenticate': bearerChallenge(env, server.slug, {
            error: 'insufficient_scope',
            scope: need.scopes.join(' '),
            description: `${need.what} requires ${need.scopes.join(' ')}`,
          }),
        },
      );
    }
    if (msg?.method === 'tools/call') {
      const tool = server.spec.tools.find((t) => t.name === msg.params?.name);
      const needed = tool ? toolScopes(tool) : [];
      if (tool && !hasScopes(principal.scopes, needed)) {
        // MCP 2025-11-25 authorization §Scope challenge handling; RFC 6750 §3.1.
        return jsonRpcError(
          403,
          -32003,
          `The token lacks scope ${needed.join(' ')} for ${tool.name}`,
          {
            'www-authenticate': bearerChallenge(env, server.slug, {
              error: 'insufficient_scope',
              scope: needed.join(' '),
              description: `tool ${tool.name} requires ${needed.join(' ')}`,
            }),
          },
        );
      }
    }
    if (sessionId === undefined) {
      if (msg?.method !== 'initialize') {
        return jsonRpcError(400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      }
      sessionId = randomToken(20);
    }
  } else if (req.method === 'GET' || req.method === 'DELETE') {
    if (sessionId === undefined) {
      return jsonRpcError(400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    }
  } else {
    return jsonRpcError(405, -32000, 'Method not allowed', { allow: 'GET, POST, DELETE' });
  }
  if (!SESSION_ID.test(sessionId)) return sessionNotFound();

  const stub = env.SESSIONS.get(
    env.SESSIONS.idFromName(
      await sessionName(
        { serverId: server.id, sub: principal.sub, clientId: principal.clientId },
        sessionId,
      ),
    ),
  );
  const headers: [string, string][] = [];
  req.headers.forEach((value, name) => {
    if (name !== 'authorization' && name !== 'cookie') headers.push([name, value]);
  });
  const request: SessionRequest = {
    sessionId,
    server: { id: server.id, orgId: server.orgId, slug: server.slug, version: server.version },
    principal,
    http: { method: req.method, url: req.url, headers },
    body,
  };
  return guardStream(
    await stub.handle(request),
    () => stillValid(env, server, principal),
    revocationTiming(env).streamCheckMs,
  );
}
