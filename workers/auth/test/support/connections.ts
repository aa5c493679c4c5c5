// Servers with per-user connections against the real test provider (test/support/oauth-provider,
// started by vitest.config.ts), and the browser's trip through consent, the provider and back.
import { env } from 'cloudflare:test';
import { loginAtProvider } from '../../../../test/support/oauth-provider/login';
import type { ServerSpecInput } from '../../../../lib/spec/server-spec';
import { api, type SignedUp } from './accounts';
import {
  authorizeUrl,
  csrfFromPage,
  fetchAs,
  getAuthorize,
  ISSUER,
  pkce,
  postConsent,
  type Client,
} from './oauth-client';
import { createServer, sampleSpec, uniqueSlug, type CreatedServer } from './servers';

export const CLIENT_SECRET_NAME = 'NOTES_CLIENT_SECRET';

export function notesConnection(overrides: Record<string, unknown> = {}) {
  return {
    name: 'notes',
    title: 'Notes',
    issuer: env.CONN_PROVIDER_ISSUER,
    scopes: ['notes:read', 'read:user'],
    clientId: env.CONN_PROVIDER_CLIENT_ID,
    clientSecret: CLIENT_SECRET_NAME,
    ...overrides,
  };
}

/** A published server declaring the `notes` connection (and its client secret, set). */
export async function connectedServer(
  owner: SignedUp,
  opts: { connections?: unknown[]; visibility?: 'private' | 'org' | 'public' } = {},
): Promise<CreatedServer> {
  const downstream = new URL(env.CONN_DOWNSTREAM_ORIGIN);
  const spec: ServerSpecInput = sampleSpec(uniqueSlug('conn'), {
    visibility: opts.visibility ?? 'private',
    secrets: [{ name: CLIENT_SECRET_NAME, description: 'Notes OAuth client secret' }],
    egress: [downstream.hostname],
    connections: (opts.connections ?? [notesConnection()]) as ServerSpecInput['connections'],
    tools: [
      {
        name: 'whoami',
        description: 'Who the downstream API sees',
        inputSchema: { type: 'object', properties: {} },
        annotations: { readOnlyHint: true },
        http: {
          method: 'GET',
          url: `${downstream.origin}/whoami`,
          headers: { Authorization: 'Bearer {{connections.notes.access_token}}' },
        },
      },
    ],
  });
  const server = await createServer(owner, spec);
  const res = await api(`/v1/servers/${server.id}/secrets/${CLIENT_SECRET_NAME}`, {
    as: owner,
    method: 'PUT',
    body: { value: env.CONN_PROVIDER_CLIENT_SECRET },
  });
  if (res.status !== 200 && res.status !== 204) {
    throw new Error(`secret failed: ${res.status} ${await res.text()}`);
  }
  return server;
}

export type Started = {
  /** Where the consent (or /authorize) sent the browser. */
  res: Response;
  location: string;
  verifier: string;
  params: Record<string, string>;
};

/** GET /authorize, approve on the consent page if it shows; answers the redirect. */
export async function startAuthorization(
  user: SignedUp,
  server: { url: string },
  client: Client,
  opts: { state?: string; decision?: 'approve' | 'deny' } = {},
): Promise<Started> {
  const { verifier, challenge } = await pkce();
  const url = authorizeUrl({ client, resource: server.url, challenge, state: opts.state });
  const params = Object.fromEntries(new URL(url, ISSUER).searchParams);
  let res = await getAuthorize(url, user);
  if (res.status === 200) {
    const csrf = csrfFromPage(await res.text());
    res = await postConsent(
      { ...params, csrf_token: csrf, decision: opts.decision ?? 'approve' },
      user,
    );
  }
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) {
    throw new Error(`no redirect: ${res.status} ${await res.text()}`);
  }
  return { res, location, verifier, params };
}

/** Signs in at the provider as `login`; answers Moat's callback URL the provider sent back. */
export function atProvider(location: string, login: string, opts: { deny?: boolean } = {}) {
  return loginAtProvider(location, login, opts);
}

/** The browser arriving at Moat's callback (with `user`'s session, or none). */
export function callback(url: string, user?: SignedUp): Promise<Response> {
  return fetchAs(url, { headers: user ? { cookie: user.cookie } : {} });
}

/** A fresh login name at the provider, so per-account counters belong to one test. */
export function providerLogin(label = 'user'): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

export async function providerStats(): Promise<{
  revocationRequests: number;
  bySub: Record<string, { codeGrants: number; revocations: number; downstreamCalls: number }>;
}> {
  return (await fetch(`${env.CONN_PROVIDER_ISSUER}/__stats`)).json();
}

export async function connectionRows(serverId: string, userId: string) {
  const { results } = await env.DB.prepare(
    'SELECT * FROM user_connections WHERE server_id = ? AND user_id = ?',
  )
    .bind(serverId, userId)
    .all<Record<string, unknown>>();
  return results;
}
