// Test accounts in one line, through the real routes (no direct SQL):
//   const alice = await signUp();                   // signed-in user with cookie + CSRF token
//   const res = await api('/v1/me', { as: alice });  // cookie, Origin and x-csrf-token set
//   const { key } = await createApiKey(alice);      // then api(path, { key })
import { exports } from 'cloudflare:workers';
import { CreatedApiKeySchema, type CreatedApiKey } from '../../../../lib/api/api-keys';
import { SignedInSchema } from '../../../../lib/api/me';
import { checkContract, expectShape } from './contract';

export const ORIGIN = 'http://127.0.0.1:8787';
export const PASSWORD = 'correct horse battery staple';

export type SignedUp = {
  user: { id: string; email: string; name: string | null };
  orgId: string;
  email: string;
  password: string;
  /** Value for a `cookie` request header: the session and CSRF cookies. */
  cookie: string;
  csrfToken: string;
};

let counter = 0;
export function uniqueEmail(label = 'user'): string {
  return `${label}-${Date.now().toString(36)}-${++counter}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

/** `name=value` pairs of every Set-Cookie in a response, joined for a `cookie` header. */
export function cookiesFrom(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

export type ApiOptions = {
  method?: string;
  body?: unknown;
  /** Authenticate with this user's session cookie (adds Origin and x-csrf-token). */
  as?: SignedUp;
  /** Authenticate with an API key instead. */
  key?: string;
  headers?: Record<string, string>;
};

/**
 * One request to the auth Worker as a same-origin browser or an API client would send it. Every
 * /v1 answer is checked against the wire contract (support/contract.ts) before it is returned.
 */
export async function api(path: string, opts: ApiOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.as) {
    headers.cookie = opts.as.cookie;
    headers.origin = ORIGIN;
    headers['x-csrf-token'] = opts.as.csrfToken;
  }
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const res = await exports.default.fetch(`${ORIGIN}${path}`, {
    method,
    headers: { ...headers, ...opts.headers },
    body:
      opts.body === undefined
        ? undefined
        : typeof opts.body === 'string'
          ? opts.body
          : JSON.stringify(opts.body),
  });
  await checkContract(method, path, res);
  return res;
}

export async function signUp(
  email = uniqueEmail(),
  password = PASSWORD,
  name?: string,
): Promise<SignedUp> {
  const res = await api('/v1/auth/signup', {
    body: { email, password, ...(name ? { name } : {}) },
  });
  if (res.status !== 201) throw new Error(`signUp failed: ${res.status} ${await res.text()}`);
  const { user, orgId, csrfToken } = expectShape(SignedInSchema, await res.json());
  return { user, orgId, csrfToken, email, password, cookie: cookiesFrom(res) };
}

export async function logIn(email: string, password = PASSWORD): Promise<SignedUp> {
  const res = await api('/v1/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`logIn failed: ${res.status} ${await res.text()}`);
  const { user, orgId, csrfToken } = expectShape(SignedInSchema, await res.json());
  return { user, orgId, csrfToken, email, password, cookie: cookiesFrom(res) };
}

export type { CreatedApiKey };

export async function createApiKey(as: SignedUp, name = 'test key'): Promise<CreatedApiKey> {
  const res = await api('/v1/api-keys', { as, body: { name } });
  if (res.status !== 201) throw new Error(`createApiKey failed: ${res.status} ${await res.text()}`);
  return expectShape(CreatedApiKeySchema, await res.json());
}
