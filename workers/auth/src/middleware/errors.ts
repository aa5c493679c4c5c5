import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError, type ApiErrorStatus } from '../../../../lib/http/api-error';
import { withDashboardHeaders } from '../../../../lib/http/dashboard-headers';
import type { AppEnv } from '../app-env';
import { storageFaultResponse } from './storage-fault-response';

// Every failure leaves as a clean JSON error; the detail goes to the log, never a stack trace to
// the wire. Messages from library errors are not forwarded (they may echo input).
export const onError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) return err.getResponse();
  const unavailable = storageFaultResponse(err, c.req.path);
  if (unavailable) return unavailable;
  if (
    typeof (err as { getResponse?: unknown }).getResponse === 'function' &&
    !(err instanceof HTTPException)
  ) {
    return (err as { getResponse: () => Response }).getResponse();
  }
  if (err instanceof HTTPException) {
    const status = err.status as ApiErrorStatus;
    const code =
      status === 413 ? 'payload_too_large' : status === 400 ? 'bad_request' : 'http_error';
    return new ApiError(
      status,
      code,
      err.message || 'The request could not be processed.',
    ).getResponse();
  }
  console.error('unhandled error', { name: (err as Error).name, message: (err as Error).message });
  return new ApiError(
    500,
    'internal_error',
    'Something went wrong on our side. Try again.',
  ).getResponse();
};

/** Paths that belong to the Worker: an unknown one is a JSON 404, never the dashboard's HTML. */
const WORKER_PATHS = /^\/(?:v1|api|\.well-known)(?:\/|$)/;

// wrangler.toml runs the Worker first for every request; what no route claims is the dashboard
// (static assets with the single-page-application fallback).
// Every dashboard file leaves with its CSP and framing headers (lib/http/dashboard-headers.ts).
export const notFound: NotFoundHandler<AppEnv> = async (c) => {
  const path = new URL(c.req.url).pathname;
  if (!WORKER_PATHS.test(path) && c.env.ASSETS && ['GET', 'HEAD'].includes(c.req.method)) {
    return withDashboardHeaders(await c.env.ASSETS.fetch(c.req.raw), c.env.RUNNER_ORIGIN);
  }
  return apiNotFound(c.req.method, path);
};

const apiNotFound = (method: string, path: string) =>
  new ApiError(404, 'not_found', `No route for ${method} ${path}.`).getResponse();
