// Secrets: set / not set / updated at, set and replace; values are write-only.
import { useState, type FormEvent } from 'react';
import { api, listOf } from '../api';
import { Section } from '../section';
import { useApi } from '../use-api';
import { ErrorBox, Field, when } from '../ui';

type SecretRow = {
  name: string;
  set?: boolean;
  updatedAt?: string | number | null;
  description?: string;
};

export function Secrets({
  serverId,
  declared,
}: {
  serverId: string;
  declared: { name: string; description?: string }[];
}) {
  const state = useApi<unknown>(`/v1/servers/${encodeURIComponent(serverId)}/secrets`);
  const [editing, setEditing] = useState<string>();
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const stored = new Map(listOf<SecretRow>(state.data, 'secrets').map((s) => [s.name, s]));
  const names = [...new Set([...declared.map((d) => d.name), ...stored.keys()])];

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    if (!value.trim()) return setError(new Error('Enter a value.'));
    setBusy(true);
    try {
      await api(
        `/v1/servers/${encodeURIComponent(serverId)}/secrets/${encodeURIComponent(editing)}`,
        {
          method: 'PUT',
          body: { value },
        },
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

  return (
    <Section title="Secrets" id="secrets" what="Secret management" state={state}>
      {() =>
        names.length === 0 ? (
          <p className="muted">No credentials needed: this server declares no secrets.</p>
        ) : (
          <ul className="list">
            {names.map((name) => {
              const s = stored.get(name);
              const isSet = s ? s.set !== false : false;
              return (
                <li key={name}>
                  <div className="list-row">
                    <code>{name}</code>
                    <span className={`badge ${isSet ? 'badge-ok' : 'badge-warn'}`}>
                      {isSet ? 'set' : 'not set'}
                    </span>
                    <span className="muted small">
                      {isSet
                        ? `updated ${when(s?.updatedAt)}`
                        : declared.find((d) => d.name === name)?.description}
                    </span>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => (setEditing(name), setValue(''), setError(undefined))}
                    >
                      {isSet ? 'Replace' : 'Set'}
                    </button>
                  </div>
                  {editing === name && (
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
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => setEditing(undefined)}
                      >
                        Cancel
                      </button>
                    </form>
                  )}
                </li>
              );
            })}
          </ul>
        )
      }
    </Section>
  );
}
