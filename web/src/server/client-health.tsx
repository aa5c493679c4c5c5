// Connection health per client of a server (GET /v1/servers/:id/clients): the verdict and its
// reason, first and last token, refreshes, last 401 and 403, and the status of the server's
// per-user downstream connections (docs/observability.md "Connection health").
import type {
  ClientHealthVerdict,
  ServerClient,
  ServerClientList,
  ServerUserConnection,
} from '../../../lib/api/server-clients';
import { Section } from '../section';
import { Table } from '../table';
import { when } from '../ui';
import { useApi } from '../use-api';

const BADGE: Record<ClientHealthVerdict, string> = {
  healthy: 'badge badge-ok',
  never_refreshes: 'badge badge-warn',
  stale: 'badge',
  failing: 'badge badge-bad',
  revoked: 'badge badge-bad',
};

export function HealthBadge({ health }: { health: ClientHealthVerdict }) {
  return (
    <span className={BADGE[health]} data-health={health}>
      {health.replace('_', ' ')}
    </span>
  );
}

function ClientsTable({ clients }: { clients: ServerClient[] }) {
  return (
    <Table
      rows={clients}
      rowKey={(c) => c.clientId}
      testId="client-health"
      empty="No client has received a token for this server yet."
      columns={[
        {
          header: 'Client',
          cell: (c) => (
            <>
              {c.name ?? c.clientId}{' '}
              <span className="badge">
                {c.kind === 'machine' ? 'machine' : (c.domain ?? c.kind)}
              </span>
              <div className="small muted">
                {c.users} user{c.users === 1 ? '' : 's'}, {c.authorizationCount} authorization
                {c.authorizationCount === 1 ? '' : 's'}
              </div>
            </>
          ),
        },
        {
          header: 'Health',
          cell: (c) => (
            <>
              <HealthBadge health={c.health} />
              <div className="small">{c.healthReason}</div>
            </>
          ),
        },
        {
          header: 'Tokens',
          cell: (c) => (
            <span className="small">
              first {when(c.firstTokenAt)}
              <br />
              last {when(c.lastTokenAt)}
              <br />
              {c.refreshCount} refresh{c.refreshCount === 1 ? '' : 'es'}
              {c.lastRefreshAt ? `, last ${when(c.lastRefreshAt)}` : ''}
            </span>
          ),
        },
        {
          header: 'Refusals',
          cell: (c) => (
            <span className="small">
              401: {c.last401At ? `${when(c.last401At)} (${c.last401Reason ?? '?'})` : 'none'}
              <br />
              403: {c.last403At ? `${when(c.last403At)} (needs ${c.last403Scope ?? '?'})` : 'none'}
            </span>
          ),
        },
        { header: 'Last use', cell: (c) => when(c.lastUsedAt) },
      ]}
    />
  );
}

function ConnectionsTable({ connections }: { connections: ServerUserConnection[] }) {
  if (connections.length === 0) return null;
  return (
    <>
      <h3>Users’ downstream connections</h3>
      <Table
        rows={connections}
        rowKey={(u) => u.id}
        testId="user-connections"
        empty=""
        columns={[
          { header: 'Connection', cell: (u) => u.name },
          { header: 'User', cell: (u) => u.user.email ?? u.user.id },
          {
            header: 'Status',
            cell: (u) => (
              <>
                <span className={u.status === 'active' ? 'badge badge-ok' : 'badge badge-warn'}>
                  {u.status.replace('_', ' ')}
                </span>
                <div className="small">{u.reason}</div>
              </>
            ),
          },
          { header: 'Last use', cell: (u) => when(u.lastUsedAt) },
        ]}
      />
    </>
  );
}

export function ClientHealth({ serverId }: { serverId: string }) {
  const state = useApi<ServerClientList>(`/v1/servers/${encodeURIComponent(serverId)}/clients`);
  return (
    <Section title="Connection health" id="client-health" state={state}>
      {(data) => (
        <>
          <ClientsTable clients={data.clients} />
          <ConnectionsTable connections={data.connections} />
        </>
      )}
    </Section>
  );
}
