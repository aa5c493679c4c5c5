// Machine clients: the org's OAuth clients registered with an API key or a session (they use
// client_credentials), with who registered them, with which key, and revoke (GET/DELETE
// /v1/clients). Revoking an API key revokes its clients too (docs/oauth.md "Machine clients").
import { useState } from 'react';
import { api, listOf } from '../api';
import { Section } from '../section';
import { ErrorBox, when } from '../ui';
import { useApi } from '../use-api';

type MachineClient = {
  id: string;
  name?: string | null;
  grantTypes?: string[];
  owner?: { id: string; email?: string | null } | null;
  apiKey?: { id: string; name?: string | null; prefix?: string | null } | null;
  createdAt?: number;
  lastUsedAt?: number | null;
};

export function MachineClients(props: { selfId: string; canManage: boolean }) {
  const state = useApi<unknown>('/v1/clients');
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
    <Section title="Machine clients" id="machine-clients" what="Machine clients" state={state}>
      {(data) => {
        const clients = listOf<MachineClient>(data, 'clients');
        return (
          <>
            <p className="muted">
              OAuth clients registered with an API key or from this dashboard, for scripts that use{' '}
              <code>client_credentials</code>. They act only on this organization’s servers and stop
              with the key that registered them.
            </p>
            <ErrorBox error={error} />
            {clients.length === 0 ? (
              <p className="muted">No machine clients.</p>
            ) : (
              <div className="table-wrap">
                <table className="table" data-testid="machine-clients">
                  <thead>
                    <tr>
                      <th scope="col">Client</th>
                      <th scope="col">Registered by</th>
                      <th scope="col">API key</th>
                      <th scope="col">Created</th>
                      <th scope="col">Last used</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {clients.map((c) => (
                      <tr key={c.id}>
                        <td>
                          {c.name ?? 'Unnamed client'}
                          <div className="small muted">
                            <code>{c.id}</code>
                          </div>
                        </td>
                        <td>{c.owner?.email ?? '—'}</td>
                        <td>
                          {c.apiKey ? (
                            <>
                              {c.apiKey.name ?? '—'}{' '}
                              {c.apiKey.prefix && <code>{c.apiKey.prefix}…</code>}
                            </>
                          ) : (
                            <span className="muted">session</span>
                          )}
                        </td>
                        <td>{when(c.createdAt)}</td>
                        <td>{when(c.lastUsedAt)}</td>
                        <td>
                          {(props.canManage || c.owner?.id === props.selfId) && (
                            <button
                              type="button"
                              className="btn btn-small btn-danger"
                              onClick={() => void revoke(c)}
                            >
                              Revoke
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        );
      }}
    </Section>
  );
}
