// JSON bodies on /v1: one place that turns bad input into clear 4xx errors (never a 500).
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../../../../lib/http/api-error';
import { MAX_JSON_DEPTH, parseJson } from '../../../../lib/http/bounded-json';

export type FieldIssue = { path: string; message: string };

/** zod issues as `{path: "a.b[0]", message}`; unknown keys are reported one path each. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join('');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({
        path: base ? `${base}.${k}` : k,
        message: 'Unknown field.',
      }));
    }
    return [{ path: base, message: issue.message }];
  });
}

export function validationError(error: z.ZodError): ApiError {
  const fields = fieldIssues(error);
  const first = fields[0];
  return new ApiError(
    422,
    'validation_failed',
    first ? `Invalid field ${first.path || '(body)'}: ${first.message}` : 'Invalid request body.',
    { details: { fields } },
  );
}

/**
 * Parses the body as JSON and validates it: 415, 400 invalid_json (also for nesting deeper than
 * MAX_JSON_DEPTH, which would overflow the stack later) or 422 validation_failed. The size was
 * bounded as the body streamed in (middleware/body-limit.ts).
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  const json = parseJson(await c.req.text());
  if (!json.ok) {
    throw new ApiError(
      400,
      'invalid_json',
      json.error === 'too_deep'
        ? `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`
        : 'The request body is not valid JSON.',
    );
  }
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Validates query parameters the same way (422 with field paths). */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
