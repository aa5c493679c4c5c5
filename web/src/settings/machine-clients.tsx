// Machine clients: the org's OAuth clients registered with an API key or a session (they use
// client_credentials), with who registered them, with which key, and revoke (GET/DELETE
// /v1/clients). Revoking an API key revokes its clients too (docs/oauth.md "Machine clients").
import { useState } from 'react';
import type { MachineClient, MachineClientList } from '../../../lib/api/clients';
import { api } from '../api';
import { Section } from '../section';
import { Table } from '../table';
import { ErrorBox, when } from '../ui';
import { useApi } from '../use-api';

export function MachineClients(props: { selfId: string; canManage: boolean }) {
  const state = useApi<MachineClientList>('/v1/clients');
  const [error, setError] = useState<unknown>();
  const revoke = async (c: MachineClient) => {
    if (
      !confirm(`Revoke “${c.name ?? c.id}”? It stops getting tokens, and its tokens stop working.`)
    )
      return;
    try {
      await api(`/v1/clients/${encodeURIComponent(c.id)}`, { method: 'DELETE' });
      setError(undefined);
      await state.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Section title="Machine clients" id="machine-clients" state={state}>
      {(data) => (
        <>
          <p className="muted">
            OAuth clients registered with an API key or from this dashboard, for scripts that use{' '}
            <code>client_credentials</code>. They act only on this organization’s servers and stop
            with the key that registered them.
          </p>
          <ErrorBox error={error} />
          <Table<MachineClient>
            rows={data.clients}
            rowKey={(c) => c.id}
            testId="machine-clients"
            empty="No machine clients."
            columns={[
              {
                header: 'Client',
                cell: (c) => (
                  <>
                    {c.name ?? 'Unnamed client'}
                    <div className="small muted">
                      <code>{c.id}</code>
                    </div>
                  </>
                ),
              },
              { header: 'Registered by', cell: (c) => c.owner?.email ?? '—' },
              {
                header: 'API key',
                cell: (c) =>
                  c.apiKey ? (
                    <>
                      {c.apiKey.name ?? '—'} {c.apiKey.prefix && <code>{c.apiKey.prefix}…</code>}
                    </>
                  ) : (
                    <span className="muted">session</span>
                  ),
              },
              { header: 'Created', cell: (c) => when(c.createdAt) },
              { header: 'Last used', cell: (c) => when(c.lastUsedAt) },
              {
                header: 'Actions',
                hidden: true,
                cell: (c) =>
                  (props.canManage || c.owner?.id === props.selfId) && (
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      onClick={() => void revoke(c)}
                    >
                      Revoke
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
