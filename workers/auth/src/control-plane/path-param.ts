import type { Context } from 'hono';
import { ApiError } from '../../../../lib/http/api-error';

/**
 * A path parameter the route table (control-plane/app.ts) declares for this handler. Handlers are
 * plain functions, so the type cannot see the path; a missing one is a 404, never a crash.
 */
export function pathParam(c: Context, name: string): string {
  const value = c.req.param(name);
  if (value === undefined || value === '') {
    throw new ApiError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}.`);
  }
  return value;
}
