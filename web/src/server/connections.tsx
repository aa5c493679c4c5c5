// The server page's Connections panel, for owners and admins (GET /v1/servers/:id/connections):
// per connection the redirect URI to register at the provider, how many users linked their
// account and how many must reconnect — counts only, never a user's token (issue 13).
import type { ServerConnectionList } from '../../../lib/api/connections';
import { ApiFailure } from '../api';
import { Table } from '../table';
import { CopyButton, ErrorBox, Spinner } from '../ui';
import { useApi } from '../use-api';

type Row = ServerConnectionList['connections'][number];

export function ServerConnections({ serverId }: { serverId: string }) {
  const state = useApi<ServerConnectionList>(
    `/v1/servers/${encodeURIComponent(serverId)}/connections`,
  );
  const forbidden = state.error instanceof ApiFailure && state.error.status === 403;
  return (
    <section aria-labelledby="per-user-connections" className="section">
      <h2 id="per-user-connections">Per-user connections</h2>
      <p className="muted">
        Each user links their own account; tools act as them. Register the redirect URI at the
        provider, and keep the client secret under Secrets.
      </p>
      {forbidden ? (
        <p className="muted">Only the server's owners and admins see its connections.</p>
      ) : state.error ? (
        <ErrorBox error={state.error} />
      ) : !state.data ? (
        <Spinner label="Loading connections…" />
      ) : (
        <Table<Row>
          rows={state.data.connections}
          rowKey={(c) => c.name}
          testId="server-connections"
          empty="The published version declares no connections."
          columns={[
            {
              header: 'Connection',
              cell: (c) => (
                <>
                  {c.title} <code className="small">{c.name}</code>
                </>
              ),
            },
            {
              header: 'Redirect URI',
              cell: (c) => (
                <>
                  <code className="small">{c.redirectUri}</code>{' '}
                  <CopyButton text={c.redirectUri} label="Copy" />
                </>
              ),
            },
            { header: 'Users linked', cell: (c) => c.linkedUsers },
            {
              header: 'Need reconnect',
              cell: (c) =>
                c.needReconnect ? (
                  <span className="badge badge-warn">{c.needReconnect}</span>
                ) : (
                  c.needReconnect
                ),
            },
          ]}
        />
      )}
    </section>
  );
}
