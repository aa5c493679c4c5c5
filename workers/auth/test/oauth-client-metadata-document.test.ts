import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { oauthConfig } from '../src/authorization-server/config';
import { metadataUrlProblem } from '../src/authorization-server/client-metadata-document';
import { signUp } from './support/accounts';
import {
  authorize,
  authorizeUrl,
  exchangeCode,
  getAuthorize,
  hostServer,
  pkce,
  verifyWithJwks,
  type TokenBody,
} from './support/oauth-client';

const doc = (path: string) => ({ client_id: `${env.CIMD_ORIGIN}${path}` });

async function hits(path: string): Promise<number> {
  const res = await fetch(`${env.CIMD_ORIGIN}/__hits?path=${encodeURIComponent(path)}`);
  return (await res.json<{ hits: number }>()).hits;
}

async function authorizeWith(clientId: string) {
  const alice = await signUp();
  const server = await hostServer(alice);
  const { challenge } = await pkce();
  const res = await getAuthorize(
    authorizeUrl({ client: { client_id: clientId }, resource: server.resource, challenge }),
    alice,
  );
  return { res, alice, server };
}

async function expectLocalClientError(res: Response, text: RegExp) {
  expect(res.status).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  expect(await res.text()).toMatch(text);
}

describe('Client ID Metadata Documents', () => {
  it('runs the whole flow for a client whose id is its metadata URL', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = doc('/good/flow');
    const got = await authorize({ client, user: alice, resource: server.resource });
    const res = await exchangeCode({ client, code: got.code, verifier: got.verifier });
    expect(res.status).toBe(200);
    const { payload } = await verifyWithJwks((await res.json<TokenBody>()).access_token);
    expect(payload.client_id).toBe(client.client_id);
  });

  it('caches the document instead of fetching it on every request', async () => {
    const path = '/good/cached';
    await authorizeWith(`${env.CIMD_ORIGIN}${path}`);
    await authorizeWith(`${env.CIMD_ORIGIN}${path}`);
    expect(await hits(path)).toBe(1);
  });

  it('refuses a document that names another client_id', async () => {
    const { res } = await authorizeWith(doc('/mismatch/a').client_id);
    await expectLocalClientError(res, /another client_id/);
  });

  it('does not follow redirects', async () => {
    const { res } = await authorizeWith(doc('/redirect/a').client_id);
    await expectLocalClientError(res, /302/);
  });

  it('refuses a document over the size limit', async () => {
    const { res } = await authorizeWith(doc('/big/a').client_id);
    await expectLocalClientError(res, /could not be fetched/);
  });

  it('refuses a document that claims a client secret method', async () => {
    const { res } = await authorizeWith(doc('/secret/a').client_id);
    await expectLocalClientError(res, /token_endpoint_auth_method/);
  });

  it('gives up on a slow document after the time limit', { timeout: 15_000 }, async () => {
    const { res } = await authorizeWith(doc('/slow/a').client_id);
    await expectLocalClientError(res, /could not be fetched/);
  });

  it('refuses private addresses and plain http unless ALLOW_PRIVATE_EGRESS is set', () => {
    const strict = { ...oauthConfig(env), allowPrivateEgress: false };
    expect(metadataUrlProblem('https://127.0.0.1/client', strict)).toMatch(/private/);
    expect(metadataUrlProblem('https://10.0.0.8/client', strict)).toMatch(/private/);
    expect(metadataUrlProblem('https://[::1]/client', strict)).toMatch(/private/);
    expect(metadataUrlProblem('https://169.254.169.254/latest', strict)).toMatch(/private/);
    expect(metadataUrlProblem('http://app.example/client', strict)).toMatch(/https/);
    expect(metadataUrlProblem('https://app.example/', strict)).toMatch(/path/);
    expect(metadataUrlProblem('https://app.example/c#x', strict)).toMatch(/fragment/);
    expect(metadataUrlProblem('https://app.example/client.json', strict)).toBeUndefined();
  });

  it.each([
    'https://[::7f00:1]/client',
    'https://[::a9fe:a9fe]/client',
    'https://[::ffff:7f00:1]/client',
    'https://[::ffff:0:7f00:1]/client',
    'https://[64:ff9b::a9fe:a9fe]/client',
    'https://[fec0::1]/client',
    'https://[2002:a9fe:a9fe::1]/client',
    'https://[2001::1]/client',
    'https://[100::1]/client',
    'https://metadata.google.internal/client',
    'https://printer.local/client',
    'https://198.51.100.7/client',
  ])('refuses %s as a private address (the one egress classifier)', (id) => {
    const strict = { ...oauthConfig(env), allowPrivateEgress: false };
    expect(metadataUrlProblem(id, strict)).toBe('names a private address');
  });

  it.each(['https://2130706433/client', 'https://0x7f.1/client', 'https://017700000001/client'])(
    'refuses the non-canonical IPv4 spelling %s',
    (id) => {
      const strict = { ...oauthConfig(env), allowPrivateEgress: false };
      expect(metadataUrlProblem(id, strict)).toBeDefined();
    },
  );
});
