// Wizard step 2: the per-user connections the proposal declares (issue 13, docs/connections.md).
// Each shows what users will link, the scopes asked for, the client ID field the owner must fill
// (the OpenAPI import leaves it empty), where the client secret goes (a declared secret, entered
// under Credentials like any other), and the redirect URI to register at the provider.
import { connectionCallbackUrl } from '../../../lib/connections/urls';
import type { ServerSpecInput } from '../../../lib/spec/server-spec';
import { CopyButton, Field } from '../ui';

export type Connections = ServerSpecInput['connections'];
type ConnectionInput = NonNullable<Connections>[number];

/** RFC 6749 §3.1.2: the one redirect URI every provider sends users back to. The dashboard is
 * served by the auth Worker, so its origin is the ISSUER (DESIGN §3). */
export const connectionRedirectUri = (): string => connectionCallbackUrl(location.origin);

/**
 * The client-secret names the proposal declared for connections the owner has since marked public
 * (PKCE only): the review step stops asking for them and leaves them out of the spec.
 */
export function droppedClientSecrets(proposed: Connections, current: Connections): Set<string> {
  const kept = new Set((current ?? []).map((c) => c.clientSecret).filter(Boolean));
  return new Set(
    (proposed ?? []).map((c) => c.clientSecret).filter((n): n is string => !!n && !kept.has(n)),
  );
}

function endpointsOf(c: ConnectionInput): string {
  if (c.authorizationUrl) return new URL(c.authorizationUrl).host;
  return c.issuer ? `issuer ${c.issuer}` : '';
}

export function ReviewConnections(props: {
  /** As proposed, to restore a client secret name when "public client" is unticked. */
  proposed: Connections;
  value: Connections;
  onChange: (next: Connections) => void;
  issueFor: (path: string) => string | undefined;
}) {
  const list = props.value ?? [];
  if (list.length === 0) return null;
  const redirectUri = connectionRedirectUri();
  const edit = (i: number, patch: Partial<ConnectionInput>) =>
    props.onChange(list.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <section aria-label="Connections">
      <h2>
        Connections <span className="muted">({list.length})</span>
      </h2>
      <p className="muted">
        Each person who uses this server links their own account, and tools act as them. Register an
        OAuth app at each provider with the redirect URI below, then enter its client ID.
      </p>
      <ol className="tool-list">
        {list.map((c, i) => {
          const id = `connection-${i}`;
          return (
            <li key={c.name} className="card tool" data-testid="review-connection">
              <div className="tool-head">
                <strong>{c.title}</strong> <code>{c.name}</code>{' '}
                <span className="muted">{endpointsOf(c)}</span>
              </div>
              <p>
                Scopes:{' '}
                {(c.scopes ?? []).length ? (
                  (c.scopes ?? []).map((s) => (
                    <code key={s} className="code-tag">
                      {s}
                    </code>
                  ))
                ) : (
                  <span className="muted">none requested</span>
                )}
              </p>
              <div className="mcp-url">
                <span className="muted">Redirect URI to register at the provider</span>
                <code data-testid="connection-redirect-uri">{redirectUri}</code>
                <CopyButton text={redirectUri} label="Copy redirect URI" />
              </div>
              <Field
                label="Client ID"
                id={`${id}-client-id`}
                error={props.issueFor(`connections.${i}.clientId`)}
                hint="The client ID the provider gave the OAuth app you registered."
              >
                <input
                  id={`${id}-client-id`}
                  autoComplete="off"
                  value={c.clientId}
                  onChange={(e) => edit(i, { clientId: e.target.value.trim() })}
                />
              </Field>
              <label className="check">
                <input
                  type="checkbox"
                  checked={!c.clientSecret}
                  onChange={(e) =>
                    edit(i, {
                      clientSecret: e.target.checked
                        ? undefined
                        : (props.proposed?.find((p) => p.name === c.name)?.clientSecret ??
                          undefined),
                    })
                  }
                />{' '}
                Public client: the provider issued no client secret (PKCE only)
              </label>
              <p className="hint">
                {c.clientSecret ? (
                  <>
                    Client secret: enter it under Credentials as <code>{c.clientSecret}</code>.
                  </>
                ) : (
                  'No client secret: Moat sends only the client ID and a PKCE verifier.'
                )}
              </p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
