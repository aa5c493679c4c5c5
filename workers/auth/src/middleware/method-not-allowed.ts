// 405 instead of 404 when the path exists under another method (RFC 9110 §15.5.6: with `Allow`).
import type { Hono } from 'hono';
import { PatternRouter } from 'hono/router/pattern-router';
import { ApiError } from '../../../../lib/http/api-error';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Builds, once, a matcher over the app's real routes (middleware registered with `use` is skipped). */
export function allowedMethodsFor(app: Hono<never>) {
  let router: PatternRouter<string> | undefined;
  return (path: string): string[] => {
    if (!router) {
      router = new PatternRouter<string>();
      for (const r of app.routes) {
        if ((METHODS as readonly string[]).includes(r.method))
          router.add(r.method, r.path, r.method);
      }
    }
    const allowed = METHODS.filter((m) => router!.match(m, path)[0].length > 0);
    return allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed;
  };
}

export function methodNotAllowed(method: string, path: string, allowed: string[]): ApiError {
  return new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${path}.`, {
    headers: { allow: allowed.join(', ') },
  });
}
