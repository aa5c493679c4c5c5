// Link 1b: CORS (cors.ts), between the server lookup and the bearer check. A preflight is answered
// here — a browser never sends credentials on OPTIONS, so the bearer check would end every browser
// client with a 401 it cannot even read. Every other answer of the chain, 401 and 403 included,
// becomes readable by an origin the Origin policy accepts; other origins get no CORS header, and
// their preflight the Origin link's 403, so the browser never sends the request itself.
import { createMiddleware } from 'hono/factory';
import { corsHeaders, isPreflight, preflightResponse } from '../cors';
import type { McpEnv } from './mcp-env';
import { originAllowed, originForbidden } from './origin';

export const corsLink = createMiddleware<McpEnv>(async (c, next) => {
  const origin = c.req.header('origin') ?? null;
  const allowed = originAllowed(origin, c.get('server'), c.env);
  if (origin !== null && isPreflight(c.req.raw)) {
    if (!allowed) throw originForbidden();
    return preflightResponse(origin);
  }
  await next();
  if (origin === null || !allowed) return;
  for (const [name, value] of Object.entries(corsHeaders(origin))) c.header(name, value);
  c.header('vary', 'Origin', { append: true });
});
