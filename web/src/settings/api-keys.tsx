// API keys: create (the key is shown once), list, revoke (DESIGN §3).
import { useState, type FormEvent } from 'react';
import type { ApiKey, ApiKeyList, CreatedApiKey } from '../../../lib/api/api-keys';
import { api } from '../api';
import { Section } from '../section';
import { Table } from '../table';
import { useApi } from '../use-api';
import { Code, ErrorBox, Field, when } from '../ui';

export function ApiKeys() {
  const state = useApi<ApiKeyList>('/v1/api-keys');
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const nameError = !name.trim() ? 'Name the key after where it is used, e.g. “CI”.' : undefined;

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (nameError) return;
    setBusy(true);
    try {
      const k = await api<CreatedApiKey>('/v1/api-keys', {
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
    <Section title="API keys" id="api-keys" state={state}>
      {(data) => (
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
          <form onSubmit={create} className="inline-form" noValidate aria-label="Create an API key">
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
          <Table<ApiKey>
            rows={data.apiKeys}
            rowKey={(k) => k.id}
            empty="No API keys yet."
            columns={[
              { header: 'Name', cell: (k) => k.name },
              { header: 'Key', cell: (k) => <code>{k.prefix}…</code> },
              { header: 'Created', cell: (k) => when(k.createdAt) },
              { header: 'Last used', cell: (k) => when(k.lastUsedAt) },
              {
                header: 'Actions',
                hidden: true,
                cell: (k) => (
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    onClick={() => revoke(k)}
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
