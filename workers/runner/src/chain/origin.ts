// Link 3: Origin, as a DNS-rebinding defence (MCP 2025-11-25 transports §Security Warning: an
// invalid Origin gets 403), against a page on an attacker's name that resolves to a private
// address. "Valid" is the server's own ServerSpec `allowedOrigins` plus the dashboard (ISSUER:
// the playground runs there) and the runner's own origin (DESIGN §9 "Browser clients").
// Requests without Origin come from native clients, which a rebinding page cannot drive, and pass.
import { createMiddleware } from 'hono/factory';
import { JsonRpcError } from '../json-rpc-error';
import type { HostedServer } from '../server-cache';
import type { McpEnv } from './mcp-env';

type PolicyEnv = Pick<Env, 'ISSUER' | 'RUNNER_ORIGIN'>;

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/**
 * true for no `Origin` at all, or an exact match (RFC 6454 §5: serialized origins compare as
 * strings; ServerSpec validation keeps `allowedOrigins` serialized). `Origin: null` never matches.
 */
export function originAllowed(
  origin: string | null,
  server: Pick<HostedServer, 'spec'>,
  env: PolicyEnv,
): boolean {
  if (origin === null) return true;
  return (
    origin === originOf(env.ISSUER) ||
    origin === originOf(env.RUNNER_ORIGIN) ||
    (server.spec.allowedOrigins ?? []).includes(origin)
  );
}

export const originForbidden = () => new JsonRpcError(403, -32000, 'Forbidden: Origin not allowed');

export const originCheck = createMiddleware<McpEnv>(async (c, next) => {
  if (!originAllowed(c.req.header('origin') ?? null, c.get('server'), c.env)) {
    throw originForbidden();
  }
  await next();
});
