// {ISSUER}/playground/callback: the playground's OAuth redirect URI. Checks `state` against the
// one this tab sent (RFC 6749 §10.12), lets the SDK redeem the code (with the PKCE verifier and
// the RFC 9207 `iss` check), then returns to the server page, whose playground connects.
import { auth } from '@modelcontextprotocol/client';
import { useEffect, useState } from 'react';
import { Link, navigate } from '../router';
import { ErrorBox, Spinner } from '../ui';
import {
  clearPendingAuthorization,
  omitCredentials,
  pendingAuthorization,
  PlaygroundOAuthProvider,
} from './playground-oauth';

/** One redemption per `state`: React's double effects in development must not redeem a code twice. */
const redemptions = new Map<string, Promise<string>>();

/** The server page to return to; throws a message for the user on any mismatch. */
async function finish(query: URLSearchParams): Promise<string> {
  const pending = pendingAuthorization();
  if (!pending || query.get('state') !== pending.state) {
    throw new Error('This sign-in did not start in this tab, or it was already used. Try again.');
  }
  clearPendingAuthorization();
  const error = query.get('error');
  if (error) {
    // RFC 6749 §4.1.2.1; the AS's description says why (a denial, or no access to this server).
    const why = query.get('error_description');
    throw new Error(
      error === 'access_denied'
        ? `The playground was not allowed to use this server${why ? `: ${why}` : '.'}`
        : `The sign-in failed: ${why ?? error}`,
    );
  }
  const code = query.get('code');
  if (!code) throw new Error('The authorization server sent no code.');
  const provider = new PlaygroundOAuthProvider(pending.serverId, pending.serverUrl);
  await auth(provider, {
    serverUrl: pending.serverUrl,
    authorizationCode: code,
    iss: query.get('iss') ?? undefined,
    fetchFn: omitCredentials,
  });
  return `/servers/${encodeURIComponent(pending.serverId)}#playground`;
}

export default function PlaygroundCallbackPage({ query }: { query: URLSearchParams }) {
  const [error, setError] = useState<unknown>();
  const [back] = useState(() => {
    const pending = pendingAuthorization();
    return pending ? `/servers/${encodeURIComponent(pending.serverId)}` : '/servers';
  });
  useEffect(() => {
    const state = query.get('state') ?? '';
    let redeeming = redemptions.get(state);
    if (!redeeming) redemptions.set(state, (redeeming = finish(query)));
    redeeming.then(
      (to) => navigate(to, { replace: true }),
      (err: unknown) => setError(err),
    );
  }, [query]);
  return (
    <div className="narrow">
      <h1>Playground sign-in</h1>
      {error ? (
        <>
          <ErrorBox error={error} />
          <Link href={back}>Back to the server</Link>
        </>
      ) : (
        <Spinner label="Finishing the sign-in…" />
      )}
    </div>
  );
}
