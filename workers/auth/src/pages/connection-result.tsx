// The pages that end a provider step (docs/connections.md "The flow"): "Connected" after a
// standalone link, and the failure page. When the failure belongs to an MCP client's
// authorization, the page also sends the browser back to the client with the RFC 6749 §4.1.2.1
// error (a link, and a refresh after a few seconds), so the client learns it too.
import type { Context } from 'hono';
import { Layout, renderPage } from './layout';

export function renderConnected(c: Context, props: { title: string; serverName: string }) {
  return renderPage(
    c,
    <Layout title="Connected">
      <section>
        <h1>Connected — return to your client</h1>
        <p>
          Your {props.title} account is linked to <strong>{props.serverName}</strong>. Tools that
          act on {props.title} now use your account. You can close this tab and try again in your
          MCP client.
        </p>
      </section>
    </Layout>,
  );
}

export function renderConnectionFailure(
  c: Context,
  props: { heading: string; message: string; code?: string; returnUrl?: string },
) {
  if (props.returnUrl) c.header('refresh', `3; url=${props.returnUrl}`);
  return renderPage(
    c,
    <Layout title="Connection failed">
      <section>
        <h1>{props.heading}</h1>
        <p class="error">{props.message}</p>
        {props.returnUrl ? (
          <p>
            Moat is telling the app that the authorization did not complete
            {props.code ? (
              <>
                {' '}
                (<code>{props.code}</code>)
              </>
            ) : null}
            . <a href={props.returnUrl}>Return to the app</a>.
          </p>
        ) : (
          <p class="muted">Close this tab and start again from your app.</p>
        )}
      </section>
    </Layout>,
    400,
  );
}
