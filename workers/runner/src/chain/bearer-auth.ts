// Link 2: the bearer token, before anything else is read (DESIGN §6). RFC 6750 §3.1 + RFC 9728
// §5.1 challenges; the verified principal (never the token) is what later links see.
import { createMiddleware } from 'hono/factory';
import { verifyBearer } from '../bearer';
import { JsonRpcError } from '../json-rpc-error';
import { bearerChallenge } from '../protected-resource-metadata';
import { noteAccepted, noteDiscovery, noteUnauthorized } from '../telemetry/connection-telemetry';
import type { McpEnv } from './mcp-env';

export const bearerAuth = createMiddleware<McpEnv>(async (c, next) => {
  const server = c.get('server');
  const auth = await verifyBearer(c.req.raw, c.env, server);
  if (!auth.ok && auth.unavailable) {
    // Fail closed, but not with invalid_token: the token may be good (RFC 9110 §15.6.4).
    throw new JsonRpcError(503, -32000, 'Token status cannot be checked; retry shortly', {
      headers: { 'retry-after': '5' },
    });
  }
  if (!auth.ok) {
    if (!auth.tokenSent) noteDiscovery(c.env, c.req.raw, server, 'unauthenticated_401');
    else if (auth.clientId) noteUnauthorized(c.env, c.req.raw, server, auth.clientId, auth.reason);
    // RFC 6750 §3.1: no error code when no token was sent. `scope` (MCP 2025-11-25
    // authorization §Scope selection, a SHOULD) is every scope the server offers: the AS's
    // default for a request without scope and the PRM's scopes_supported, so clients that follow
    // it ask for what they asked for before it was sent.
    const scope = server.scopes.join(' ');
    const challenge = bearerChallenge(
      c.env,
      server.path,
      auth.tokenSent
        ? {
            error: 'invalid_token',
            description: 'The access token is not valid for this server',
            scope,
          }
        : { scope },
    );
    return Response.json(
      {
        error: auth.tokenSent ? 'invalid_token' : 'unauthorized',
        error_description: 'Bearer token required',
      },
      { status: 401, headers: { 'www-authenticate': challenge } },
    );
  }
  noteAccepted(c.env, c.req.raw, server, auth.principal);
  c.set('principal', auth.principal);
  await next();
});
