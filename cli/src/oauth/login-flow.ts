// `moat login`: OAuth 2.1 authorization code + PKCE S256 (RFC 7636) through a loopback redirect
// (RFC 8252 §7.3), for the control-plane resource `{ISSUER}/v1` (RFC 8707).
import { randomBytes } from 'node:crypto';
import {
  exchangeAuthorization,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { CliError, EXIT } from '../cli-error.ts';
import {
  withExpiry,
  type CredentialStore,
  type StoredClient,
  type StoredTokens,
} from '../credentials.ts';
import type { Output } from '../output.ts';
import {
  authorizationServer,
  cliClient,
  oauthFailure,
  type AsMetadata,
} from './authorization-server.ts';
import { browserSignIn } from './browser-sign-in.ts';
import { startLoopback } from './loopback.ts';

/** The scope that lets a token manage servers through /v1 (docs/cli.md). */
export const CONTROL_PLANE_SCOPE = 'moat:api';

export const controlPlaneResource = (issuer: string): string => `${issuer}/v1`;

export const newState = (): string => randomBytes(32).toString('base64url');

export type LoginResult = { issuer: string; resource: string; tokens: StoredTokens };

export async function loginWithBrowser(
  store: CredentialStore,
  apiUrl: string,
  out: Output,
  opts: { noBrowser: boolean },
): Promise<LoginResult> {
  const metadata = await authorizationServer(apiUrl);
  const issuer = metadata.issuer.replace(/\/+$/, '');
  const resource = controlPlaneResource(issuer);
  const loopback = await startLoopback();
  try {
    const client = await usableClient(store, apiUrl, metadata, loopback.redirectUri, resource);
    const state = newState();
    const { authorizationUrl, codeVerifier } = await startAuthorization(issuer, {
      metadata,
      clientInformation: client,
      redirectUrl: loopback.redirectUri,
      scope: CONTROL_PLANE_SCOPE,
      state,
      resource: new URL(resource),
    });
    const code = await browserSignIn(out, loopback, authorizationUrl, {
      state,
      issuer: metadata.authorization_response_iss_parameter_supported ? metadata.issuer : undefined,
      noBrowser: opts.noBrowser,
    });
    const stop = out.spinner('Exchanging the code for tokens…');
    try {
      const tokens = await exchangeAuthorization(issuer, {
        metadata,
        clientInformation: client,
        authorizationCode: code,
        codeVerifier,
        redirectUri: loopback.redirectUri,
        resource: new URL(resource),
      });
      return { issuer, resource, tokens: withExpiry(tokens) };
    } catch (err) {
      throw oauthFailure(err, 'Exchanging the authorization code failed');
    } finally {
      stop();
    }
  } finally {
    loopback.close();
  }
}

/**
 * The CLI's client, once the AS has shown it knows it. An unknown client makes /authorize render
 * an error page instead of redirecting (OAuth 2.1 §4.1.2.1), which would leave the browser stuck
 * there: a request of our own first tells the cases apart — a known client is redirected to
 * /login. A platform older than the first-party client answers with that page.
 */
export async function usableClient(
  store: CredentialStore,
  apiUrl: string,
  metadata: AsMetadata,
  redirectUri: string,
  resource: string,
): Promise<StoredClient> {
  const client = await cliClient(store, apiUrl, metadata);
  const probe = new URL(metadata.authorization_endpoint);
  probe.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    state: 'probe',
    resource,
  }).toString();
  const res = await fetch(probe, { redirect: 'manual' }).catch(() => undefined);
  await res?.body?.cancel();
  if (!res || (res.status >= 300 && res.status < 400)) return client;
  throw new CliError('The authorization server refuses the CLI as a client.', {
    exitCode: EXIT.auth,
    hint: 'Update the platform, or use `moat login --api-key`.',
    code: 'invalid_client',
  });
}
