// The control-plane access token (`aud` = `{ISSUER}/v1`), refreshed when it is about to expire or
// was refused. Refresh tokens rotate on every use (OAuth 2.1 §4.3.1): the new one is always stored.
import { refreshAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import { CliError, EXIT, notLoggedIn } from '../cli-error.ts';
import { isExpired, withExpiry, type CredentialStore } from '../credentials.ts';
import { authorizationServer, oauthFailure } from './authorization-server.ts';

export async function controlPlaneToken(
  store: CredentialStore,
  apiUrl: string,
  force = false,
): Promise<string> {
  const seen = store.get(apiUrl).auth;
  if (seen?.kind !== 'oauth') throw notLoggedIn(apiUrl);
  if (!force && !isExpired(seen.tokens)) return seen.tokens.access_token;

  let revoked = false;
  const entry = await store.update(apiUrl, async (e) => {
    const auth = e.auth;
    if (auth?.kind !== 'oauth') return e;
    // Another moat process may have refreshed while we waited for the lock.
    if (auth.tokens.access_token !== seen.tokens.access_token && !isExpired(auth.tokens)) return e;
    const refreshToken = auth.tokens.refresh_token;
    if (!refreshToken || !e.client) {
      revoked = true;
      return { ...e, auth: undefined, user: undefined };
    }
    const metadata = await authorizationServer(auth.issuer);
    try {
      const tokens = await refreshAuthorization(auth.issuer, {
        metadata,
        clientInformation: e.client.info,
        refreshToken,
        resource: new URL(auth.resource),
      });
      const next = withExpiry({ ...tokens, refresh_token: tokens.refresh_token ?? refreshToken });
      return { ...e, auth: { ...auth, tokens: next } };
    } catch (err) {
      if ((err as { errorCode?: string }).errorCode === 'invalid_grant') {
        revoked = true;
        return { ...e, auth: undefined, user: undefined };
      }
      throw oauthFailure(err, 'Refreshing your sign-in failed');
    }
  });
  if (revoked || entry.auth?.kind !== 'oauth') {
    throw new CliError(`Your sign-in to ${apiUrl} expired or was revoked.`, {
      exitCode: EXIT.auth,
      hint: 'Run `moat login` again.',
      code: 'login_expired',
    });
  }
  return entry.auth.tokens.access_token;
}
