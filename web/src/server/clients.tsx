// Connected clients: client name, CIMD domain or "unverified", last token, last refresh, revoke.
// The server page lists every user's clients and the org's machine clients holding tokens for
// the server (GET /v1/servers/:id/grants, owners and admins); GrantsTable also shows the
// signed-in user's own apps in settings (GET /v1/me/grants).
import { api, listOf } from '../api';
import { Section } from '../section';
import { useApi } from '../use-api';
import { when } from '../ui';

export type Grant = {
  id: string;
  /** /v1/servers/:id/grants sends kind and domain ("unverified" for DCR); /v1/me/grants, verified. */
  client?: {
    id: string;
    name?: string | null;
    verified?: boolean;
    kind?: 'dcr' | 'cimd';
    domain?: string | null;
  };
  /** client_credentials: a machine client's grant (no user; `owner` registered the client). */
  grantType?: 'authorization_code' | 'client_credentials';
  owner?: { id?: string; email?: string | null } | null;
  server?: { id: string; slug?: string; name?: string };
  resource?: string;
  scope?: string;
  createdAt?: number;
  lastUsedAt?: number | null;
  lastTokenAt?: number | null;
  lastRefreshAt?: number | null;
  expiresAt?: number | null;
  user?: { id?: string; email?: string };
};

/** CIMD clients are named by an https URL: show its host, the thing the user can check. */
function clientDomain(g: Grant): string | undefined {
  if (g.client?.kind) {
    if (g.client.kind === 'cimd' || g.client.domain === 'moat') return g.client.domain ?? undefined;
    return undefined;
  }
  if (!g.client?.verified) return undefined;
  try {
    return new URL(g.client.id).host;
  } catch {
    // Verified clients not named by a URL are Moat's own (the moat CLI).
    return 'moat';
  }
}

export function GrantsTable(props: {
  grants: Grant[];
  onRevoke: (g: Grant) => void;
  showServer?: boolean;
}) {
  if (props.grants.length === 0)
    return (
      <p className="muted">
        No client is connected. Add a server's MCP URL to Claude, Cursor or VS Code and approve the
        consent screen; it shows up here.
      </p>
    );
  return (
    <div className="table-wrap">
      <table className="table" data-testid="grants">
        <thead>
          <tr>
            <th scope="col">Client</th>
            {props.showServer && <th scope="col">Server</th>}
            <th scope="col">Scopes</th>
            <th scope="col">Connected</th>
            <th scope="col">Last token</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.grants.map((g) => {
            const domain = clientDomain(g);
            return (
              <tr key={g.id}>
                <td>
                  {g.client?.name ?? g.client?.id ?? 'Unnamed client'}{' '}
                  {g.grantType === 'client_credentials' ? (
                    <span className="badge">machine</span>
                  ) : domain ? (
                    <span className="badge badge-ok">{domain}</span>
                  ) : (
                    <span className="badge badge-warn">unverified</span>
                  )}
                  {g.user?.email && <div className="small muted">{g.user.email}</div>}
                  {g.owner?.email && (
                    <div className="small muted">registered by {g.owner.email}</div>
                  )}
                </td>
                {props.showServer && <td>{g.server?.name ?? g.server?.slug ?? '—'}</td>}
                <td>
                  <code>{g.scope ?? '—'}</code>
                </td>
                <td>{when(g.createdAt)}</td>
                <td>
                  {when(g.lastTokenAt ?? g.lastUsedAt)}
                  {g.lastRefreshAt ? (
                    <div className="small muted">refreshed {when(g.lastRefreshAt)}</div>
                  ) : null}
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    onClick={() => props.onRevoke(g)}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function Clients({ serverId }: { serverId: string }) {
  const serverPath = `/v1/servers/${encodeURIComponent(serverId)}/grants`;
  const state = useApi<unknown>(serverPath);
  const revoke = async (g: Grant) => {
    const consequence =
      g.grantType === 'client_credentials'
        ? 'It gets no more tokens for this server.'
        : 'It must ask for consent again.';
    if (!confirm(`Revoke ${g.client?.name ?? 'this client'}? ${consequence}`)) return;
    await api(`${serverPath}/${encodeURIComponent(g.id)}`, { method: 'DELETE' });
    await state.reload();
  };
  return (
    <Section title="Connected clients" id="clients" what="Connected clients" state={state}>
      {(data) => (
        <GrantsTable grants={listOf<Grant>(data, 'grants')} onRevoke={(g) => void revoke(g)} />
      )}
    </Section>
  );
}
