// The accounts the auth and soak benches (auth.mjs, soak.mjs) run against, on a platform started
// by platform.mjs: an owner with an API key, a hosted server whose one tool calls `toolUrl`, a
// client_credentials client, and one authorization-code chain (refresh token + access token) per
// connection.
import { URLSearchParams } from 'node:url';

export { startPlatform } from './platform.mjs';

const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'http://127.0.0.1:47613/callback';

const cookiesOf = (res) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
export const form = (params) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(params),
});

export async function must(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

export async function setupOwner(issuer, { connections: CONNECTIONS, toolUrl }) {
  const email = `bench-${Date.now()}@example.test`;
  const signup = await must(
    await fetch(`${issuer}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    }),
    201,
    'signup',
  );
  const { csrfToken } = await signup.json();
  const cookie = cookiesOf(signup);
  const asOwner = {
    cookie,
    origin: issuer,
    'x-csrf-token': csrfToken,
    'content-type': 'application/json',
  };
  const { key } = await (
    await must(
      await fetch(`${issuer}/v1/api-keys`, {
        method: 'POST',
        headers: asOwner,
        body: JSON.stringify({ name: 'bench' }),
      }),
      201,
      'api key',
    )
  ).json();
  const server = await (
    await must(
      await fetch(`${issuer}/v1/servers`, {
        method: 'POST',
        headers: asOwner,
        body: JSON.stringify({
          name: 'Bench',
          slug: `bench-${Date.now().toString(36)}`,
          visibility: 'private',
          egress: ['127.0.0.1'],
          tools: [
            {
              name: 'ping',
              description: 'Ping',
              inputSchema: { type: 'object', properties: {} },
              annotations: { readOnlyHint: true },
              http: { method: 'GET', url: toolUrl },
            },
          ],
        }),
      }),
      201,
      'server',
    )
  ).json();
  const register = (metadata, headers = {}) =>
    fetch(`${issuer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(metadata),
    })
      .then((r) => must(r, 201, 'register'))
      .then((r) => r.json());
  const machine = await register(
    {
      client_name: 'bench machine',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    { authorization: `Bearer ${key}` },
  );
  const app = await register({
    client_name: 'bench app',
    redirect_uris: [REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  });

  // One refresh chain per connection: authorization code + PKCE through consent, then exchange.
  const chains = [];
  const accessTokens = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    const challenge = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
    ).toString('base64url');
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: app.client_id,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: `s${i}`,
      resource: server.url,
    });
    let res = await fetch(`${issuer}/authorize?${q}`, { redirect: 'manual', headers: { cookie } });
    if (res.status === 200) {
      const csrf = /name="csrf_token" value="([^"]+)"/.exec(await res.text())[1];
      res = await fetch(`${issuer}/consent`, {
        ...form({ ...Object.fromEntries(q), csrf_token: csrf, decision: 'approve' }),
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: issuer },
      });
    }
    const code = new URL(res.headers.get('location')).searchParams.get('code');
    const tokens = await (
      await must(
        await fetch(
          `${issuer}/token`,
          form({
            grant_type: 'authorization_code',
            client_id: app.client_id,
            code,
            code_verifier: verifier,
            redirect_uri: REDIRECT,
          }),
        ),
        200,
        'exchange',
      )
    ).json();
    chains.push(tokens.refresh_token);
    accessTokens.push(tokens.access_token);
  }
  return { server, machine, app, chains, accessTokens };
}
