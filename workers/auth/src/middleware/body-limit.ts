// Request body size limits: 64 KiB for the control-plane API and forms, larger only where a route
// legitimately takes documents (OpenAPI text for /v1/servers…). Oversize → 413 payload_too_large.
// hono's bodyLimit checks Content-Length and counts a chunked body as it streams, stopping at the
// limit, so no route ever reads an unbounded body; JSON depth is bounded where it is parsed
// (request-body.ts).
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../../../../lib/http/api-error';

export const DEFAULT_BODY_LIMIT = 64 * 1024;
/** Path prefixes allowed a bigger body, and how big. */
const LARGE_BODIES: [prefix: string, maxSize: number][] = [
  ['/v1/servers/preview', 8 * 1024 * 1024], // OpenAPI documents (lib/openapi MAX_OPENAPI_BYTES)
  ['/v1/servers', 2 * 1024 * 1024],
  ['/v1/builds', 2 * 1024 * 1024],
];

const limiter = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `The request body exceeds ${maxSize} bytes.`);
    },
  });
const limiters = new Map<number, MiddlewareHandler>();

export const limitBody: MiddlewareHandler = (c, next) => {
  const max =
    LARGE_BODIES.find(([prefix]) => c.req.path.startsWith(prefix))?.[1] ?? DEFAULT_BODY_LIMIT;
  let handler = limiters.get(max);
  if (!handler) limiters.set(max, (handler = limiter(max)));
  return handler(c, next);
};
