// Connected clients of a server: client name, CIMD domain or "unverified", last token, revoke.
import { api, listOf } from '../api';
import { Section } from '../section';
import { useApi } from '../use-api';
import { when } from '../ui';

export type Grant = {
  id: string;
  clientId?: string;
  clientName?: string | null;
  clientDomain?: string | null;
  verified?: boolean;
  user?: string | { email?: string };
  userEmail?: string;
  server?: string | { slug?: string; name?: string };
  serverSlug?: string;
  scope?: string;
  scopes?: string[];
  lastTokenAt?: string | number | null;
  lastRefreshAt?: string | number | null;
  createdAt?: string | number;
};

export function clientLabel(g: Grant) {
  const verified = g.clientDomain ? (
    <span className="badge badge-ok">{g.clientDomain}</span>
  ) : (
    <span className="badge badge-warn">unverified</span>
  );
  return (
    <>
      {g.clientName ?? g.clientId ?? 'Unnamed client'} {verified}
    </>
  );
}

export function GrantsTable({
  grants,
  onRevoke,
  showServer,
}: {
  grants: Grant[];
  onRevoke: (g: Grant) => void;
  showServer?: boolean;
}) {
  if (grants.length === 0)
    return (
      <p className="muted">
        No client has connected yet. Add the MCP URL to Claude, Cursor or VS Code to see it here.
      </p>
    );
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Client</th>
            {showServer && <th scope="col">Server</th>}
            <th scope="col">Scopes</th>
            <th scope="col">Last token</th>
            <th scope="col">Last refresh</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {grants.map((g) => (
            <tr key={g.id}>
              <td>{clientLabel(g)}</td>
              {showServer && (
                <td>
                  {typeof g.server === 'object'
                    ? (g.server.name ?? g.server.slug)
                    : (g.serverSlug ?? g.server ?? '—')}
                </td>
              )}
              <td>
                <code>{g.scope ?? g.scopes?.join(' ') ?? '—'}</code>
              </td>
              <td>{when(g.lastTokenAt)}</td>
              <td>{when(g.lastRefreshAt)}</td>
              <td>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  onClick={() => onRevoke(g)}
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Clients({ serverId }: { serverId: string }) {
  const path = `/v1/servers/${encodeURIComponent(serverId)}/grants`;
  const state = useApi<unknown>(path);
  const revoke = async (g: Grant) => {
    if (
      !confirm(
        `Revoke ${g.clientName ?? g.clientId ?? 'this client'}? Its tokens stop working now.`,
      )
    )
      return;
    await api(`${path}/${encodeURIComponent(g.id)}`, { method: 'DELETE' });
    await state.reload();
  };
  return (
    <Section title="Connected clients" id="clients" what="The connected-clients list" state={state}>
      {(data) => <GrantsTable grants={listOf<Grant>(data, 'grants')} onRevoke={revoke} />}
    </Section>
  );
}
