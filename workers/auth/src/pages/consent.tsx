// The consent page (DESIGN §5): who is asking (DCR names marked unverified, metadata-document
// clients shown by their domain), which server, the scopes in plain words, and where the browser
// goes next. Approve or deny; the form carries the request and the session's CSRF token.
import type { Context } from 'hono';
import type { User } from '../../../../lib/db/schema';
import { describeScope } from '../../../../lib/oauth/scopes';
import type { AuthorizationRequest } from '../authorization-server/authorization-request';
import { isFirstPartyClient } from '../authorization-server/first-party';
import { resourceName } from '../authorization-server/resource';
import { ConnectionLines, type ConnectionLine } from './connection-lines';
import { Layout, PAGE_CSP, renderPage } from './layout';

/** Where the browser goes after the decision: a host, or a native app's scheme. */
export function redirectLabel(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === 'http:' || url.protocol === 'https:'
    ? url.host
    : `the app (${url.protocol}//)`;
}

/**
 * `form-action` also governs the redirect that follows the form (CSP3), so the consent page
 * allows exactly the client's redirect origin besides itself.
 */
export function consentCsp(redirectUri: string, providerOrigins: string[] = []): string {
  const url = new URL(redirectUri);
  const dest = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
  const extra = [dest, ...new Set(providerOrigins)].join(' ');
  return PAGE_CSP.replace("form-action 'self'", `form-action 'self' ${extra}`);
}

function ClientName(props: { req: AuthorizationRequest }) {
  const { client } = props.req;
  if (client.kind === 'cimd') {
    const domain = new URL(client.id).host;
    return (
      <>
        <strong>{domain}</strong>
        {client.name ? <span class="muted"> (calls itself “{client.name}”)</span> : null}
      </>
    );
  }
  if (isFirstPartyClient(client.id)) {
    return (
      <>
        <strong>{client.name}</strong> <span class="badge">by Moat</span>
      </>
    );
  }
  return (
    <>
      <strong>{client.name ?? 'An unnamed app'}</strong>{' '}
      <span class="badge" title="This app registered itself; Moat has not verified its name.">
        unverified
      </span>
    </>
  );
}

export async function renderConsentPage(
  c: Context,
  props: {
    req: AuthorizationRequest;
    user: User;
    csrfToken: string;
    previouslyGranted: string[];
    connections?: ConnectionLine[];
  },
) {
  const { req, user } = props;
  const old = new Set(props.previouslyGranted);
  const res = await renderPage(
    c,
    <Layout title="Allow access">
      <section>
        <h1>
          <ClientName req={req} /> wants to use {resourceName(req.resource)}
        </h1>
        <p class="muted">
          Server: <code>{req.resource.canonical}</code>
        </p>
        <p>If you allow it, this app will be able to:</p>
        <ul>
          {req.scopes.map((s) => (
            <li>
              {describeScope(s)} <code class="muted">{s}</code>
              {props.previouslyGranted.length > 0 && !old.has(s) ? <strong> (new)</strong> : null}
            </li>
          ))}
        </ul>
        <ConnectionLines lines={props.connections ?? []} />
        <p class="muted">
          You will then be sent to <strong>{redirectLabel(req.redirectUri)}</strong>. Signed in as{' '}
          {user.email}.
        </p>
        {req.client.kind === 'dcr' && !isFirstPartyClient(req.client.id) ? (
          <p class="notice">
            Moat has not verified this app’s name. Only allow it if you started this connection
            yourself.
          </p>
        ) : null}
        <form method="post" action="/consent">
          {Object.entries(req.params).map(([k, v]) => (
            <input type="hidden" name={k} value={v} />
          ))}
          <input type="hidden" name="csrf_token" value={props.csrfToken} />
          <button type="submit" name="decision" value="approve">
            Allow
          </button>{' '}
          <button type="submit" name="decision" value="deny" class="secondary">
            Deny
          </button>
        </form>
      </section>
    </Layout>,
  );
  res.headers.set(
    'content-security-policy',
    consentCsp(
      req.redirectUri,
      (props.connections ?? []).map((l) => l.origin),
    ),
  );
  return res;
}
