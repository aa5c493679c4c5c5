// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- oidc-provider ships no types; the shim must reach every tsconfig that imports this file
/// <reference path="./oidc-provider.d.ts" />
// A real third-party OAuth 2.0 provider for the connection tests (issue 13): oidc-provider (panva)
// on 127.0.0.1 with authorization code + PKCE and rotating refresh tokens, and beside it a tiny
// downstream API that answers only for this provider's live access tokens and says whose token it
// saw. Started in Node by the vitest configs (and the e2e platform); tests reach both over HTTP.
//
// Login is scriptable: the provider's interaction page is a plain form (`login` = any account
// name, Sign in or Deny), so tests POST it with the provider's cookies and Chromium clicks it. The
// login also grants every requested scope (no separate consent step). Test-only endpoints:
//   GET  /__stats                          counters (ProviderStats), also per account
//   POST /__accounts/:sub {accessTokenTtl}  that account's access token lifetime in seconds
//   POST /__accounts/:sub/revoke            revoke every grant of that account (refresh → invalid_grant)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { startDownstreamApi } from './downstream-api';
import { renderLoginForm } from './login-form';

export type AccountStats = {
  codeGrants: number;
  refreshGrants: number;
  revocations: number;
  downstreamCalls: number;
};

export type ProviderStats = AccountStats & {
  /** Requests to the RFC 7009 revocation endpoint, whatever they revoked. */
  revocationRequests: number;
  downstreamRejected: number;
  bySub: Record<string, AccountStats>;
};

export type StartedProvider = {
  issuer: string;
  /** The confidential client (client_secret_basic) registered for Moat. */
  clientId: string;
  clientSecret: string;
  /** A public client (PKCE only) with the same redirect URIs. */
  publicClientId: string;
  downstreamOrigin: string;
  /** Live counters (the same object /__stats serializes). */
  stats: ProviderStats;
  close: () => Promise<void>;
};

export const PROVIDER_SCOPES = ['repo', 'read:user', 'notes:read', 'notes:write'];
const CLIENT_ID = 'moat-connections';
const CLIENT_SECRET = 'moat-connections-test-secret';
const PUBLIC_CLIENT_ID = 'moat-connections-public';

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

export async function startProvider(
  opts: {
    /** Moat's `{ISSUER}`s: each gets `{ISSUER}/connections/callback` registered. */
    moatIssuers?: string[];
    accessTokenTtl?: number;
  } = {},
): Promise<StartedProvider> {
  const redirectUris = (opts.moatIssuers ?? ['http://127.0.0.1:8787']).map(
    (i) => `${i}/connections/callback`,
  );
  const stats: ProviderStats = {
    codeGrants: 0,
    refreshGrants: 0,
    revocations: 0,
    revocationRequests: 0,
    downstreamCalls: 0,
    downstreamRejected: 0,
    bySub: {},
  };
  const account = (sub: string): AccountStats =>
    (stats.bySub[sub] ??= { codeGrants: 0, refreshGrants: 0, revocations: 0, downstreamCalls: 0 });
  const ttlBySub = new Map<string, number>();
  const grantsBySub = new Map<string, Set<string>>();
  const subByGrant = new Map<string, string>();

  // Built once the port (and so the issuer) is known; the server only routes to it after that.
  const built: { provider?: Provider } = {};
  const server = createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: 'server_error', detail: String(err) });
    });
  });
  async function route(req: IncomingMessage, res: ServerResponse) {
    const p = built.provider!;
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/__stats') return json(res, 200, stats);
    if (url.pathname === '/token/revocation') stats.revocationRequests++;
    const acct = /^\/__accounts\/([^/]+)(\/revoke)?$/.exec(url.pathname);
    if (acct && req.method === 'POST') {
      const sub = decodeURIComponent(acct[1]!);
      if (acct[2]) {
        for (const grantId of grantsBySub.get(sub) ?? []) {
          await Promise.all([
            p.AccessToken.revokeByGrantId(grantId),
            p.RefreshToken.revokeByGrantId(grantId),
          ]);
        }
        return json(res, 200, { revoked: grantsBySub.get(sub)?.size ?? 0 });
      }
      const body = await readForm(req);
      ttlBySub.set(sub, Number(body.get('accessTokenTtl') ?? 3600));
      return json(res, 200, { ok: true });
    }
    const interaction = /^\/interaction\/([^/]+)(\/login|\/deny)?$/.exec(url.pathname);
    if (interaction) {
      const details = await p.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(renderLoginForm(details.uid, details.params));
      }
      if (interaction[2] === '/deny') {
        return p.interactionFinished(req, res, {
          error: 'access_denied',
          error_description: 'The user denied the request.',
        });
      }
      const login = (await readForm(req)).get('login')?.trim();
      if (!login) return json(res, 400, { error: 'login is required' });
      const clientId = details.params.client_id!;
      const grant = new p.Grant({ accountId: login, clientId });
      const requested = (details.params.scope ?? '').split(' ').filter(Boolean);
      const isOidc = (s: string) => s === 'openid' || s === 'offline_access';
      const oidc = requested.filter(isOidc);
      if (oidc.length) grant.addOIDCScope(oidc.join(' '));
      grant.addResourceScope(downstream.origin, requested.filter((s) => !isOidc(s)).join(' '));
      const grantId = await grant.save();
      (grantsBySub.get(login) ?? grantsBySub.set(login, new Set()).get(login)!).add(grantId);
      subByGrant.set(grantId, login);
      return p.interactionFinished(
        req,
        res,
        { login: { accountId: login }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    }
    p.callback()(req, res);
  }
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const downstream = await startDownstreamApi(
    async (token) => {
      const found = await built.provider!.AccessToken.find(token);
      return found && !found.isExpired ? { sub: found.accountId, scope: found.scope ?? '' } : null;
    },
    (sub) => {
      if (sub === null) return void stats.downstreamRejected++;
      stats.downstreamCalls++;
      account(sub).downstreamCalls++;
    },
  );

  const provider = (built.provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        client_id: PUBLIC_CLIENT_ID,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      },
    ],
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id }) }),
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      // Opaque access tokens for one resource server: the downstream API (RFC 8707 default).
      resourceIndicators: {
        enabled: true,
        defaultResource: () => downstream.origin,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: PROVIDER_SCOPES.join(' '),
          accessTokenFormat: 'opaque',
        }),
      },
    },
    scopes: ['openid', 'offline_access'],
    pkce: { required: () => true },
    // Every grant gets a refresh token, rotated on every use (OAuth 2.1 §4.3.1).
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: (_ctx: unknown, token: { accountId: string }) =>
        ttlBySub.get(token.accountId) ?? opts.accessTokenTtl ?? 3600,
      AuthorizationCode: 60,
      Grant: 14 * 86400,
      Interaction: 600,
      RefreshToken: 14 * 86400,
      Session: 86400,
    },
    cookies: { keys: ['test-only-provider-cookie-key'] },
    interactions: { url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}` },
    clientBasedCORS: () => false,
  }));
  provider.on('grant.success', (ctx) => {
    const params = ctx.oidc.params ?? {};
    const entities = (ctx.oidc as { entities?: { AccessToken?: { accountId: string } } }).entities;
    const sub = entities?.AccessToken?.accountId ?? '?';
    if (params.grant_type === 'refresh_token') {
      stats.refreshGrants++;
      account(sub).refreshGrants++;
    } else if (params.grant_type === 'authorization_code') {
      stats.codeGrants++;
      account(sub).codeGrants++;
    }
  });
  provider.on('grant.revoked', (_ctx, grantId) => {
    stats.revocations++;
    account(subByGrant.get(grantId as string) ?? '?').revocations++;
  });
  // oidc-provider logs every error to stderr by default; keep test output readable.
  provider.on('server_error', () => undefined);
  server.unref();

  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    publicClientId: PUBLIC_CLIENT_ID,
    downstreamOrigin: downstream.origin,
    stats,
    close: async () => {
      await downstream.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
