// API keys: create (the key is shown once), list, revoke (DESIGN §3).
import { useState, type FormEvent } from 'react';
import { api, listOf } from '../api';
import { Section } from '../section';
import { useApi } from '../use-api';
import { Code, ErrorBox, Field, when } from '../ui';

type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  createdAt?: string | number;
  lastUsedAt?: string | number | null;
  createdBy?: string;
};

export function ApiKeys() {
  const state = useApi<unknown>('/v1/api-keys');
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const nameError = !name.trim() ? 'Name the key after where it is used, e.g. “CI”.' : undefined;

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (nameError) return;
    setBusy(true);
    try {
      const k = await api<{ name: string; key: string }>('/v1/api-keys', {
        method: 'POST',
        body: { name: name.trim() },
      });
      setCreated(k);
      setName('');
      setTouched(false);
      setError(undefined);
      await state.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (k: ApiKey) => {
    if (!confirm(`Revoke “${k.name}”? Anything using it stops working now.`)) return;
    try {
      await api(`/v1/api-keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' });
      await state.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Section title="API keys" id="api-keys" what="API key management" state={state}>
      {(data) => {
        const keys = listOf<ApiKey>(data, 'apiKeys');
        return (
          <>
            <p className="muted">
              For the CLI and scripts: send <code>Authorization: Bearer moat_sk_…</code> to{' '}
              <code>/v1</code>.
            </p>
            {created && (
              <div className="alert alert-ok" role="status" data-testid="new-api-key">
                <p>
                  <strong>Copy “{created.name}” now.</strong> It is stored hashed and will not be
                  shown again.
                </p>
                <Code label="API key">{created.key}</Code>
              </div>
            )}
            <form
              onSubmit={create}
              className="inline-form"
              noValidate
              aria-label="Create an API key"
            >
              <Field label="Key name" id="api-key-name" error={touched ? nameError : undefined}>
                <input
                  id="api-key-name"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  aria-invalid={touched && !!nameError}
                />
              </Field>
              <button className="btn btn-primary" disabled={busy}>
                {busy ? 'Creating…' : 'Create key'}
              </button>
            </form>
            <ErrorBox error={error} />
            {keys.length === 0 ? (
              <p className="muted">No API keys yet.</p>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Key</th>
                      <th scope="col">Created</th>
                      <th scope="col">Last used</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {keys.map((k) => (
                      <tr key={k.id}>
                        <td>{k.name}</td>
                        <td>
                          <code>{k.prefix}…</code>
                        </td>
                        <td>{when(k.createdAt)}</td>
                        <td>{when(k.lastUsedAt)}</td>
                        <td>
                          <button
                            type="button"
                            className="btn btn-small btn-danger"
                            onClick={() => revoke(k)}
                          >
                            Revoke
                          </button>
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
