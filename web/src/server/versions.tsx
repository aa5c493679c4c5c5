// Versions: immutable, with the tool diff between any two and one-click rollback.
import { useState } from 'react';
import type { ServerSpecInput } from '../../../lib/spec/server-spec';
import { api, listOf } from '../api';
import { Section } from '../section';
import { useApi } from '../use-api';
import { ErrorBox, when } from '../ui';
import { toolDiff, type ToolChange } from './tool-diff';

type Version = {
  version: number;
  createdAt?: string | number;
  createdBy?: string;
  spec?: ServerSpecInput;
  toolCount?: number;
  note?: string | null;
};

async function specOf(serverId: string, v: Version): Promise<ServerSpecInput> {
  if (v.spec) return v.spec;
  const r = await api<{ spec?: ServerSpecInput } & Partial<ServerSpecInput>>(
    `/v1/servers/${encodeURIComponent(serverId)}/versions/${v.version}`,
  );
  return (r.spec ?? r) as ServerSpecInput;
}

export function Versions({
  serverId,
  current,
  onChanged,
}: {
  serverId: string;
  current?: number;
  onChanged: () => void;
}) {
  const state = useApi<unknown>(`/v1/servers/${encodeURIComponent(serverId)}/versions`);
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  const [diff, setDiff] = useState<ToolChange[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<number>();

  const versions = listOf<Version>(state.data, 'versions').sort((a, b) => b.version - a.version);
  const compare = async () => {
    const a = versions.find((v) => v.version === from);
    const b = versions.find((v) => v.version === to);
    if (!a || !b) return;
    try {
      const [sa, sb] = await Promise.all([specOf(serverId, a), specOf(serverId, b)]);
      setDiff(toolDiff(sa.tools as never, sb.tools as never));
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };
  const rollback = async (version: number) => {
    if (!confirm(`Publish version ${version} again? Clients see its tools within seconds.`)) return;
    setBusy(version);
    try {
      await api(`/v1/servers/${encodeURIComponent(serverId)}`, {
        method: 'PATCH',
        body: { currentVersion: version },
      });
      onChanged();
      await state.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Section title="Versions" id="versions" what="Version history" state={state}>
      {() => (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Published</th>
                  <th scope="col">Note</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version}>
                    <td>
                      v{v.version}{' '}
                      {v.version === current && <span className="badge badge-ok">live</span>}
                    </td>
                    <td>{when(v.createdAt)}</td>
                    <td className="small">{v.note ?? '—'}</td>
                    <td>
                      {v.version !== current && (
                        <button
                          type="button"
                          className="btn btn-small"
                          disabled={busy !== undefined}
                          onClick={() => rollback(v.version)}
                        >
                          {busy === v.version ? 'Rolling back…' : `Roll back to v${v.version}`}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {versions.length >= 2 && (
            <div className="row compare">
              <label>
                From{' '}
                <select value={from ?? ''} onChange={(e) => setFrom(Number(e.target.value))}>
                  <option value="">version…</option>
                  {versions.map((v) => (
                    <option key={v.version} value={v.version}>
                      v{v.version}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                To{' '}
                <select value={to ?? ''} onChange={(e) => setTo(Number(e.target.value))}>
                  <option value="">version…</option>
                  {versions.map((v) => (
                    <option key={v.version} value={v.version}>
                      v{v.version}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="btn btn-small"
                disabled={!from || !to}
                onClick={compare}
              >
                Compare tools
              </button>
            </div>
          )}
          <ErrorBox error={error} />
          {diff &&
            (diff.length === 0 ? (
              <p className="muted">The tools are identical.</p>
            ) : (
              <ul className="diff">
                {diff.map((d) => (
                  <li key={d.name} className={`diff-${d.change}`}>
                    <strong>{d.change}</strong> <code>{d.name}</code>
                    {d.fields.length > 0 && <span className="muted"> ({d.fields.join(', ')})</span>}
                  </li>
                ))}
              </ul>
            ))}
        </>
      )}
    </Section>
  );
}
