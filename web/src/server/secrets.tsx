// Secrets: set / not set / updated at, set and replace; values are write-only. The list is every
// secret the published spec declares, with whether it is set (GET /v1/servers/:id/secrets).
import { useState, type FormEvent } from 'react';
import type { SecretList, SecretStatus } from '../../../lib/api/secrets';
import { api } from '../api';
import { Section } from '../section';
import { Table } from '../table';
import { useApi } from '../use-api';
import { ErrorBox, Field, when } from '../ui';

export function Secrets({ serverId }: { serverId: string }) {
  const state = useApi<SecretList>(`/v1/servers/${encodeURIComponent(serverId)}/secrets`);
  const [editing, setEditing] = useState<string>();
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    if (!value.trim()) return setError(new Error('Enter a value.'));
    setBusy(true);
    try {
      await api(
        `/v1/servers/${encodeURIComponent(serverId)}/secrets/${encodeURIComponent(editing)}`,
        { method: 'PUT', body: { value } },
      );
      setEditing(undefined);
      setValue('');
      setError(undefined);
      await state.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const editor = (name: string) => (
    <form onSubmit={save} className="inline-form" aria-label={`Set ${name}`}>
      <Field
        label={`New value for ${name}`}
        id={`secret-value-${name}`}
        hint="Write-only: it is encrypted and never shown again."
      >
        <input
          id={`secret-value-${name}`}
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </Field>
      <ErrorBox error={error} />
      <button className="btn btn-primary btn-small" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>{' '}
      <button type="button" className="btn btn-small" onClick={() => setEditing(undefined)}>
        Cancel
      </button>
    </form>
  );

  return (
    <Section title="Secrets" id="secrets" state={state}>
      {(data) => (
        <Table<SecretStatus>
          rows={data.secrets}
          rowKey={(s) => s.name}
          empty="No credentials needed: this server declares no secrets."
          columns={[
            { header: 'Secret', cell: (s) => <code>{s.name}</code> },
            {
              header: 'Status',
              cell: (s) => (
                <span className={`badge ${s.set ? 'badge-ok' : 'badge-warn'}`}>
                  {s.set ? 'set' : 'not set'}
                </span>
              ),
            },
            {
              header: 'Details',
              className: 'muted small',
              cell: (s) => (s.set ? `updated ${when(s.updatedAt)}` : s.description),
            },
            {
              header: 'Actions',
              hidden: true,
              cell: (s) => (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => (setEditing(s.name), setValue(''), setError(undefined))}
                >
                  {s.set ? 'Replace' : 'Set'}
                </button>
              ),
            },
          ]}
          detail={(s) => editing === s.name && editor(s.name)}
        />
      )}
    </Section>
  );
}
