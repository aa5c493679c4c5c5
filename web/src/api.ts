// The dashboard's only way to reach the platform: same-origin JSON over fetch (DESIGN §3).
// Cookie-authenticated unsafe methods carry the CSRF token from the moat_csrf cookie (or the
// csrfToken the account API returned) in x-csrf-token; the browser adds the same-origin Origin.
// Answers are typed by the wire contract in lib/api; failures carry the API's `error.code`, which
// is what callers branch on (never the message, a sentence for people).
import type { ApiErrorBody } from '../../lib/api/errors';

export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.code = code;
  }
}

let csrfToken: string | undefined;
export function rememberCsrf(token: string | undefined): void {
  if (token) csrfToken = token;
}

function csrfFromCookie(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'moat_csrf' || k === '__Host-moat_csrf') return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfFromCookie() ?? csrfToken;
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiFailure(
      0,
      'network_error',
      'Could not reach the Moat API. Is the platform running?',
    );
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as Partial<ApiErrorBody> | undefined)?.error;
    throw new ApiFailure(
      res.status,
      e?.code ?? `http_${res.status}`,
      e?.message ?? `The API answered ${res.status} ${res.statusText}.`,
    );
  }
  if (json && typeof json === 'object' && 'csrfToken' in json) {
    rememberCsrf((json as { csrfToken?: string }).csrfToken);
  }
  return json as T;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
