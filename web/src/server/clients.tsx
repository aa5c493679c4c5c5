// Connected clients: client name, CIMD domain or "unverified", last token, last refresh, revoke.
// The server page lists every user's clients and the org's machine clients holding tokens for
// the server (GET /v1/servers/:id/grants, owners and admins); GrantsTable also shows the
// signed-in user's own apps in settings (GET /v1/me/grants).
import type { ConnectedApp, ServerGrant, ServerGrantList } from '../../../lib/api/grants';
import { api } from '../api';
import { ClientHealth } from './client-health';
import { Section } from '../section';
import { Table } from '../table';
import { useApi } from '../use-api';
import { when } from '../ui';

/** One row of either grant list. */
export type GrantRow = {
  id: string;
  client: string;
  /** What vouches for the client: a CIMD host, "moat" for our own; null for "unverified". */
  domain: string | null;
  machine: boolean;
  detail?: string;
  server?: string;
  /** The toolset the grant is for (its own URL and tokens); absent for the whole server. */
  toolset?: string | undefined;
  scope: string;
  createdAt: number;
  lastTokenAt: number | null;
  lastRefreshAt: number | null;
};

export function serverGrantRow(g: ServerGrant): GrantRow {
  return {
    id: g.id,
    client: g.client.name ?? g.client.id,
    domain: g.client.domain === 'unverified' ? null : g.client.domain,
    machine: g.grantType === 'client_credentials',
    detail: g.user?.email ?? (g.owner?.email ? `registered by ${g.owner.email}` : undefined),
    toolset: g.toolset,
    scope: g.scope,
    createdAt: g.createdAt,
    lastTokenAt: g.lastTokenAt,
    lastRefreshAt: g.lastRefreshAt,
  };
}

/** A verified app is a CIMD client (its id is its metadata URL: show the host) or Moat's own. */
function verifiedDomain(clientId: string): string {
  try {
    return new URL(clientId).host;
  } catch {
    return 'moat';
  }
}

export function connectedAppRow(g: ConnectedApp): GrantRow {
  return {
    id: g.id,
    client: g.client.name ?? g.client.id,
    domain: g.client.verified ? verifiedDomain(g.client.id) : null,
    machine: false,
    server: g.server.name,
    toolset: g.toolset,
    scope: g.scope,
    createdAt: g.createdAt,
    lastTokenAt: g.lastTokenAt,
    lastRefreshAt: null,
  };
}

export function GrantsTable(props: {
  grants: GrantRow[];
  onRevoke: (g: GrantRow) => void;
  showServer?: boolean;
}) {
  return (
    <Table
      rows={props.grants}
      rowKey={(g) => g.id}
      testId="grants"
      empty="No client is connected. Add a server's MCP URL to Claude, Cursor or VS Code and approve the consent screen; it shows up here."
      columns={[
        {
          header: 'Client',
          cell: (g) => (
            <>
              {g.client}{' '}
              {g.machine ? (
                <span className="badge">machine</span>
              ) : g.domain ? (
                <span className="badge badge-ok">{g.domain}</span>
              ) : (
                <span className="badge badge-warn">unverified</span>
              )}
              {g.detail && <div className="small muted">{g.detail}</div>}
            </>
          ),
        },
        props.showServer && { header: 'Server', cell: (g) => g.server ?? '—' },
        {
          header: 'Scopes',
          cell: (g) => (
            <>
              <code>{g.scope}</code>
              {g.toolset && <div className="small muted">toolset {g.toolset}</div>}
            </>
          ),
        },
        { header: 'Connected', cell: (g) => when(g.createdAt) },
        {
          header: 'Last token',
          cell: (g) => (
            <>
              {when(g.lastTokenAt)}
              {g.lastRefreshAt !== null && (
                <div className="small muted">refreshed {when(g.lastRefreshAt)}</div>
              )}
            </>
          ),
        },
        {
          header: 'Actions',
          hidden: true,
          cell: (g) => (
            <button
              type="button"
              className="btn btn-small btn-danger"
              onClick={() => props.onRevoke(g)}
            >
              Revoke
            </button>
          ),
        },
      ]}
    />
  );
}

export function Clients({ serverId }: { serverId: string }) {
  const serverPath = `/v1/servers/${encodeURIComponent(serverId)}/grants`;
  const state = useApi<ServerGrantList>(serverPath);
  const revoke = async (g: GrantRow) => {
    const consequence = g.machine
      ? 'It gets no more tokens for this server.'
      : 'It must ask for consent again.';
    if (!confirm(`Revoke ${g.client}? ${consequence}`)) return;
    await api(`${serverPath}/${encodeURIComponent(g.id)}`, { method: 'DELETE' });
    await state.reload();
  };
  return (
    <>
      <Section title="Connected clients" id="clients" state={state}>
        {(data) => (
          <GrantsTable grants={data.grants.map(serverGrantRow)} onRevoke={(g) => void revoke(g)} />
        )}
      </Section>
      <ClientHealth serverId={serverId} />
    </>
  );
}
