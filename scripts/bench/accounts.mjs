// What every bench that drives Moat sets up first, through the public API as a user would: an
// owner signed up with an API key, a hosted server, a client_credentials client and a public
// authorization_code + PKCE client, and codes minted through /authorize and /consent.
// Used by soak-setup.mjs (auth, soak, heap benches) and peers/moat.mjs (peers, profile).
import { URLSearchParams } from 'node:url';
import { pkce, REDIRECT } from './peers/pkce.mjs';

const PASSWORD = 'correct horse battery staple';

/** A form POST (`application/x-www-form-urlencoded`), with extra headers. */
export const form = (params, headers = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(params),
});

export async function must(res, status, what) {
  if (res.status !== status) throw new Error(`moat ${what}: ${res.status} ${await res.text()}`);
  return res;
}

export const json = async (res, status, what) => (await must(res, status, what)).json();

/**
 * A new owner with an API key and one server (`server`: the POST /v1/servers body, without its
 * slug). Returns the session cookie, the owner's API request helper and what was created.
 */
export async function createOwner(issuer, { name, server: spec }) {
  const signup = await must(
    await fetch(`${issuer}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${name}-${Date.now()}@example.test`, password: PASSWORD }),
    }),
    201,
    'signup',
  );
  const { csrfToken } = await signup.json();
  const cookie = signup.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const owner = {
    cookie,
    origin: issuer,
    'x-csrf-token': csrfToken,
    'content-type': 'application/json',
  };
  const api = (method, path, body) =>
    fetch(`${issuer}${path}`, { method, headers: owner, body: JSON.stringify(body) });
  const { key } = await json(await api('POST', '/v1/api-keys', { name }), 201, 'api key');
  const slug = `${name}-${Date.now().toString(36)}`;
  const server = await json(await api('POST', '/v1/servers', { ...spec, slug }), 201, 'server');
  return { cookie, api, key, server };
}

/** A client_credentials client (registered with the API key) and a public PKCE client. */
export async function registerClients(issuer, { key, name }) {
  const register = async (metadata, headers = {}) =>
    json(
      await fetch(`${issuer}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(metadata),
      }),
      201,
      'register',
    );
  const machine = await register(
    {
      client_name: `${name} machine`,
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    { authorization: `Bearer ${key}` },
  );
  const app = await register({
    client_name: `${name} app`,
    redirect_uris: [REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  });
  return { machine, app };
}

/** A code through /authorize (and /consent the first time), as the signed-in owner would. */
export async function mintCode(issuer, { app, cookie, resource }) {
  const { verifier, challenge } = await pkce();
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: app.client_id,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 's',
    resource,
  });
  let res = await fetch(`${issuer}/authorize?${q}`, { redirect: 'manual', headers: { cookie } });
  if (res.status === 200) {
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(await res.text())[1];
    res = await fetch(`${issuer}/consent`, {
      ...form(
        { ...Object.fromEntries(q), csrf_token: csrf, decision: 'approve' },
        { cookie, origin: issuer },
      ),
      redirect: 'manual',
    });
  } else await res.arrayBuffer();
  const code = new URL(res.headers.get('location')).searchParams.get('code');
  if (!code) throw new Error(`moat authorize: no code (${res.status})`);
  return { code, verifier };
}

/** POST /token for a code from mintCode (the Response, unread). */
export const redeemCode = (issuer, { app }, { code, verifier }) =>
  fetch(
    `${issuer}/token`,
    form({
      grant_type: 'authorization_code',
      client_id: app.client_id,
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
    }),
  );
