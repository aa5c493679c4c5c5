// The control-plane client (/v1): adds the credential, refreshes an expired OAuth token once, and
// turns every failure into a CliError that says what to do next.
import type { ApiErrorBody } from '../../lib/api/errors.ts';
import { CliError, EXIT, notLoggedIn } from './cli-error.ts';
import type { CredentialStore, PlatformEntry } from './credentials.ts';

type RequestOptions = { body?: unknown; apiKey?: string; anonymous?: boolean };

export class ControlPlane {
  readonly apiUrl: string;
  readonly store: CredentialStore;

  constructor(apiUrl: string, store: CredentialStore) {
    this.apiUrl = apiUrl;
    this.store = store;
  }

  async get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, opts);
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    let res = await this.#send(method, path, opts, false);
    if (
      res.status === 401 &&
      !opts.apiKey &&
      !opts.anonymous &&
      this.#entry().auth?.kind === 'oauth'
    ) {
      res = await this.#send(method, path, opts, true);
    }
    return this.#read<T>(res);
  }

  /** The `Authorization` header value for a request made outside `request` (a WebSocket). */
  async authorization(): Promise<string> {
    return (await this.#authorization({}, false))!;
  }

  #entry(): PlatformEntry {
    return this.store.get(this.apiUrl);
  }

  async #authorization(opts: RequestOptions, forceRefresh: boolean): Promise<string | undefined> {
    if (opts.anonymous) return undefined;
    if (opts.apiKey) return `Bearer ${opts.apiKey}`;
    const auth = this.#entry().auth;
    if (!auth) throw notLoggedIn(this.apiUrl);
    if (auth.kind === 'api_key') return `Bearer ${auth.apiKey}`;
    // Loaded only for OAuth sign-ins: it pulls in the MCP SDK's OAuth client.
    const { controlPlaneToken } = await import('./oauth/control-plane-token.ts');
    return `Bearer ${await controlPlaneToken(this.store, this.apiUrl, forceRefresh)}`;
  }

  async #send(method: string, path: string, opts: RequestOptions, forceRefresh: boolean) {
    const headers: Record<string, string> = { accept: 'application/json' };
    const authorization = await this.#authorization(opts, forceRefresh);
    if (authorization) headers.authorization = authorization;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${this.apiUrl}${path}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        redirect: 'manual',
      });
    } catch (err) {
      throw unreachable(this.apiUrl, err);
    }
  }

  async #read<T>(res: Response): Promise<T> {
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (res.ok) return body as T;
    throw apiFailure(res, body as Partial<ApiErrorBody> | undefined, this.apiUrl);
  }
}

export function unreachable(apiUrl: string, err: unknown): CliError {
  const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
  return new CliError(`Cannot reach ${apiUrl} (${cause}).`, {
    exitCode: EXIT.unreachable,
    hint: 'Is the platform running? Start it with `npm start`, or pass --api-url / set MOAT_API_URL.',
    code: 'unreachable',
  });
}

function apiFailure(
  res: Response,
  body: Partial<ApiErrorBody> | undefined,
  apiUrl: string,
): CliError {
  const code = body?.error?.code ?? `http_${res.status}`;
  const fields = (body?.error?.fields ?? []).map((f) => `\n  ${f.path || '(root)'}: ${f.message}`);
  const message = `${body?.error?.message ?? `${res.status} ${res.statusText}`}${fields.join('')}`;
  if (res.status === 401) {
    return new CliError(`${apiUrl} refused your credentials: ${message}`, {
      exitCode: EXIT.auth,
      hint: 'Your login expired or was revoked — run `moat login` again.',
      code,
    });
  }
  if (res.status === 404) {
    return new CliError(message, {
      exitCode: EXIT.notFound,
      hint: 'Check the name; `moat servers list` shows your servers.',
      code,
    });
  }
  if (res.status === 429) {
    const after = res.headers.get('retry-after');
    return new CliError(message, {
      exitCode: EXIT.rejected,
      hint: `Too many requests — try again${after ? ` in ${after} s` : ' later'}.`,
      code,
    });
  }
  if (res.status >= 500) {
    return new CliError(`The platform failed (${res.status}): ${message}`, {
      exitCode: EXIT.failure,
      hint: 'Try again; if it persists, check the platform logs.',
      code,
    });
  }
  return new CliError(message, { exitCode: EXIT.rejected, hint: hintFor(code, res.status), code });
}

function hintFor(code: string, status: number): string | undefined {
  if (code === 'slug_taken') return 'Pick another slug in the spec.';
  if (code === 'validation_failed') return 'Fix the fields listed above and try again.';
  if (code === 'openapi_no_base_url') return 'Pass the API base URL with --base-url https://…';
  if (status === 403) return 'Ask an owner or admin of your organization.';
  return undefined;
}
