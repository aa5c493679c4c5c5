// The Node systems of `npm run bench:peers`, in this process on 127.0.0.1: oidc-provider (in
// memory, the same grants, JWT access tokens for one resource, RFC 8707 + RFC 9068) and a plain
// node:http server answering at once (the Node ceiling). Codes and first refresh tokens for
// oidc-provider are minted through its own models, out of band: it has no login the bench could
// drive without its interaction pages, and only the token endpoint is measured.
import { exportJWK, generateKeyPair } from 'jose';
import { createServer } from 'node:http';
import { URLSearchParams } from 'node:url';
import Provider from 'oidc-provider';
import { refreshChains } from './chains.mjs';
import { drain } from './load.mjs';
import { MemoryAdapter } from './oidc-memory-adapter.mjs';
import { pkce, REDIRECT } from './pkce.mjs';

const listen = (server) =>
  new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server.address().port)));

export async function startNodeHttp() {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  const origin = `http://127.0.0.1:${await listen(server)}`;
  return {
    name: 'node',
    pids: [],
    phases: { ceiling: () => fetch(`${origin}/`).then(drain) },
    stop: () => new Promise((r) => server.close(r)),
  };
}

export async function startOidcProvider({ chains: chainCount }) {
  const server = createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const resource = 'http://127.0.0.1:1/bench/mcp';
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    clients: [
      {
        client_id: 'machine',
        client_secret: 'machine-secret-for-the-bench-only',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
      {
        client_id: 'app',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: [REDIRECT],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk] },
    scopes: ['offline_access', 'mcp:read'],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      ClientCredentials: 3600,
      Grant: 86400,
      RefreshToken: 86400,
    },
    issueRefreshToken: () => true,
    findAccount: (ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'mcp:read',
          audience: resource,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  server.on('request', provider.callback());
  const client = await provider.Client.find('app');

  const mintCode = async () => {
    const { verifier, challenge } = await pkce();
    const grant = new provider.Grant({ accountId: 'bench', clientId: 'app' });
    grant.addOIDCScope('offline_access');
    grant.addResourceScope(resource, 'mcp:read');
    const grantId = await grant.save();
    const code = await new provider.AuthorizationCode({
      accountId: 'bench',
      client,
      grantId,
      redirectUri: REDIRECT,
      scope: 'offline_access mcp:read',
      resource,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      authTime: Math.floor(Date.now() / 1000),
    }).save();
    return { code, verifier };
  };
  const token = (params, headers = {}) =>
    fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params),
    });
  const redeem = ({ code, verifier }) =>
    token({
      grant_type: 'authorization_code',
      client_id: 'app',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
    });
  const first = [];
  for (let i = 0; i < chainCount; i++) {
    const r = await redeem(await mintCode());
    const body = await r.json();
    if (r.status !== 200 || !body.refresh_token)
      throw new Error(`oidc-provider exchange: ${r.status} ${JSON.stringify(body)}`);
    first.push(body.refresh_token);
  }
  const chains = refreshChains(first);
  const basic = `Basic ${Buffer.from('machine:machine-secret-for-the-bench-only').toString('base64')}`;
  const ccParams = { grant_type: 'client_credentials', resource, scope: 'mcp:read' };
  const probe = await token(ccParams, { authorization: basic });
  if (probe.status !== 200)
    throw new Error(`oidc-provider client_credentials: ${probe.status} ${await probe.text()}`);
  await probe.arrayBuffer();
  let codes = [];
  return {
    name: 'oidc',
    pids: [],
    phases: {
      client_credentials: () => token(ccParams, { authorization: basic }).then(drain),
      refresh_token: (conn) =>
        chains.rotate(conn, async (rt) => {
          const r = await token({
            grant_type: 'refresh_token',
            client_id: 'app',
            refresh_token: rt,
          });
          const body = await r.json().catch(() => ({}));
          return { status: r.status, refreshToken: body.refresh_token };
        }),
      authorization_code: () => redeem(codes.pop()).then(drain),
    },
    async prepare(phase, n) {
      if (phase === 'authorization_code') {
        codes = [];
        for (let i = 0; i < n; i++) codes.push(await mintCode());
      }
    },
    async replay() {
      const rt = chains.rotated();
      const r = await token({ grant_type: 'refresh_token', client_id: 'app', refresh_token: rt });
      await r.arrayBuffer();
      return r.status;
    },
    chains,
    stop: () => new Promise((r) => server.close(r)),
  };
}
