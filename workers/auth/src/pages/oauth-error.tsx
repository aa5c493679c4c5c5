// The local error page of the authorization endpoint: shown when the request cannot be trusted
// to redirect (unknown client, unregistered redirect URI), so the browser stays here
// (OAuth 2.1 §4.1.2.1).
import type { Context } from 'hono';
import type { AuthorizeError } from '../../../../lib/oauth/errors';
import { Layout, renderPage } from './layout';

export function renderAuthorizeErrorPage(c: Context, err: AuthorizeError) {
  return renderPage(
    c,
    <Layout title="Authorization failed">
      <section>
        <h1>This app’s sign-in request is not valid</h1>
        <p class="error">{err.message}</p>
        <p class="muted">
          Error code: <code>{err.code}</code>. You were not sent back to the app because Moat could
          not confirm where the request came from. Close this tab and try connecting again, or ask
          the app’s developer to check its OAuth settings.
        </p>
      </section>
    </Layout>,
    400,
  );
}
