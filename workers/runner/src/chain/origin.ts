// Link 3: Origin, as a DNS-rebinding defence (MCP 2025-11-25 transports §Security Warning: an
// invalid Origin gets 403). Requests without Origin (non-browser clients) pass; browser requests
// must come from the platform's own origins.
import { createMiddleware } from 'hono/factory';
import { JsonRpcError } from '../json-rpc-error';
import type { McpEnv } from './mcp-env';

export function originAllowed(
  origin: string | null,
  env: Pick<Env, 'ISSUER' | 'RUNNER_ORIGIN'>,
): boolean {
  return origin === null || origin === env.RUNNER_ORIGIN || origin === env.ISSUER;
}

export const originCheck = createMiddleware<McpEnv>(async (c, next) => {
  if (!originAllowed(c.req.header('origin') ?? null, c.env)) {
    throw new JsonRpcError(403, -32000, 'Forbidden: Origin not allowed');
  }
  await next();
});
