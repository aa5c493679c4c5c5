// Settings → Connected accounts: the downstream accounts the signed-in user linked to hosted
// servers (GET /v1/me/connections), each removable (DELETE, which also revokes at the provider when
// it can), and a reconnect link for one that needs it (issue 13, docs/connections.md). Never a
// token: the API has none to give.
import { useState } from 'react';
import type { MyConnection, MyConnectionList } from '../../../lib/api/connections';
import { connectionConnectUrl } from '../../../lib/connections/urls';
import { api } from '../api';
import { Section } from '../section';
import { Table } from '../table';
import { ErrorBox, when } from '../ui';
import { useApi } from '../use-api';

/** The auth Worker's standalone link flow (login, provider, back); the dashboard is its origin. */
export const reconnectUrl = (c: Pick<MyConnection, 'serverId' | 'name'>): string =>
  connectionConnectUrl(location.origin, c.serverId, c.name);

function status(c: MyConnection) {
  if (c.status === 'active') return <span className="badge badge-ok">connected</span>;
  return (
    <>
      <span className="badge badge-warn" data-testid="connection-status">
        {c.status === 'revoked' ? 'revoked' : 'reconnect needed'}
      </span>{' '}
      <a className="btn btn-small" href={reconnectUrl(c)}>
        Reconnect
      </a>
      {c.statusReason && <div className="small muted">{c.statusReason}</div>}
    </>
  );
}

export function ConnectedAccounts() {
  const state = useApi<MyConnectionList>('/v1/me/connections');
  const [error, setError] = useState<unknown>();
  const remove = async (c: MyConnection) => {
    if (
      !confirm(`Remove your ${c.title} account from ${c.serverName}? Its tools stop acting as you.`)
    )
      return;
    try {
      await api(`/v1/me/connections/${encodeURIComponent(c.id)}`, { method: 'DELETE' });
      setError(undefined);
      await state.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Section title="Connected accounts" id="connected-accounts" state={state}>
      {(data) => (
        <>
          <p className="muted">
            Accounts at other services that servers' tools use to act as you. Removing one stops
            those tools until you link it again.
          </p>
          <ErrorBox error={error} />
          <Table<MyConnection>
            rows={data.connections}
            rowKey={(c) => c.id}
            testId="connected-accounts"
            empty="No connected accounts. A server that acts on another service as you asks you to link your account when you first connect to it."
            columns={[
              {
                header: 'Account',
                cell: (c) => (
                  <>
                    {c.title} <code className="small">{c.name}</code>
                  </>
                ),
              },
              {
                header: 'Server',
                cell: (c) => (
                  <>
                    {c.serverName} <code className="small">{c.serverSlug}</code>
                  </>
                ),
              },
              { header: 'Status', cell: status },
              { header: 'Scope', cell: (c) => (c.scope ? <code>{c.scope}</code> : '—') },
              { header: 'Linked', cell: (c) => when(c.createdAt) },
              { header: 'Last used', cell: (c) => when(c.lastUsedAt) },
              {
                header: 'Actions',
                hidden: true,
                cell: (c) => (
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    onClick={() => remove(c)}
                  >
                    Remove
                  </button>
                ),
              },
            ]}
          />
        </>
      )}
    </Section>
  );
}
