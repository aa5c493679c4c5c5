// The Node systems of `npm run bench:peers`, each in a child process of its own (forked by
// node-peers.mjs) so /proc shows their CPU apart from the load generator's: `node` is a plain
// node:http server answering at once (the Node ceiling); `oidc` is oidc-provider (in memory, the
// same grants, JWT access tokens for one resource, RFC 8707 + RFC 9068). Codes for oidc-provider
// are minted through its own models, out of band, on request over IPC: it has no login the bench
// could drive without its interaction pages, and only the token endpoint is measured.
import { exportJWK, generateKeyPair } from 'jose';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { MemoryAdapter } from './oidc-memory-adapter.mjs';
import { pkce, REDIRECT } from './pkce.mjs';

const listen = (server) =>
  new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server.address().port)));

async function nodeHttp() {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  return { origin: `http://127.0.0.1:${await listen(server)}`, ops: {} };
}

async function oidcProvider() {
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
  const mintCodes = async (n) => {
    const codes = [];
    for (let i = 0; i < n; i++) codes.push(await mintCode());
    return codes;
  };
  return { origin: issuer, resource, ops: { mintCodes } };
}

const { origin, resource, ops } = await (process.argv[2] === 'oidc' ? oidcProvider() : nodeHttp());
process.on('message', async ({ id, op, arg }) => {
  try {
    process.send({ id, result: await ops[op](arg) });
  } catch (err) {
    process.send({ id, error: String(err?.message ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true, origin, resource });
