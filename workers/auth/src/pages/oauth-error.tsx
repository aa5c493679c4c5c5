// The local error page of the authorization endpoint: shown when the request cannot be trusted
// to redirect (unknown client, unregistered redirect URI; OAuth 2.1 §4.1.2.1), or when the client
// registered itself and nobody has signed in yet (RFC 9700 §4.11.2), so the browser stays here.
import type { Context } from 'hono';
import type { AuthorizeError } from '../../../../lib/oauth/errors';
import { Layout, renderPage } from './layout';

export function renderAuthorizeErrorPage(c: Context, err: AuthorizeError) {
  const why = err.target
    ? 'You were not sent back to the app because you are not signed in: Moat only sends a browser to an app’s own address after its user has signed in, so a link cannot use Moat to send you somewhere else.'
    : 'You were not sent back to the app because Moat could not confirm where the request came from.';
  return renderPage(
    c,
    <Layout title="Authorization failed">
      <section>
        <h1>This app’s sign-in request is not valid</h1>
        <p class="error">{err.message}</p>
        <p class="muted">
          Error code: <code>{err.code}</code>. {why} Close this tab and try connecting again, or ask
          the app’s developer to check its OAuth settings.
        </p>
      </section>
    </Layout>,
    400,
  );
}
