// Versions: immutable, with the tool diff between any two and one-click rollback.
import { useState } from 'react';
import type { Version, VersionList, VersionSummary } from '../../../lib/api/versions';
import { api } from '../api';
import { Section } from '../section';
import { Table } from '../table';
import { useApi } from '../use-api';
import { ErrorBox, when } from '../ui';
import { toolDiff, type ToolChange } from './tool-diff';

const specOf = async (serverId: string, version: number) =>
  (await api<Version>(`/v1/servers/${encodeURIComponent(serverId)}/versions/${version}`)).spec;

export function Versions({
  serverId,
  current,
  onChanged,
}: {
  serverId: string;
  current: number | null;
  onChanged: () => void;
}) {
  const state = useApi<VersionList>(`/v1/servers/${encodeURIComponent(serverId)}/versions`);
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  const [diff, setDiff] = useState<ToolChange[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<number>();

  const versions = state.data?.versions ?? [];
  const compare = async () => {
    if (!from || !to) return;
    try {
      const [sa, sb] = await Promise.all([specOf(serverId, from), specOf(serverId, to)]);
      setDiff(toolDiff(sa.tools, sb.tools));
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
    <Section title="Versions" id="versions" state={state}>
      {() => (
        <>
          <Table<VersionSummary>
            rows={versions}
            rowKey={(v) => v.version}
            empty="No version is published yet."
            columns={[
              {
                header: 'Version',
                cell: (v) => (
                  <>
                    v{v.version}{' '}
                    {v.version === current && <span className="badge badge-ok">live</span>}
                  </>
                ),
              },
              { header: 'Published', cell: (v) => when(v.createdAt) },
              { header: 'Note', cell: (v) => v.note ?? '—', className: 'small' },
              {
                header: 'Actions',
                hidden: true,
                cell: (v) =>
                  v.version !== current && (
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={busy !== undefined}
                      onClick={() => rollback(v.version)}
                    >
                      {busy === v.version ? 'Rolling back…' : `Roll back to v${v.version}`}
                    </button>
                  ),
              },
            ]}
          />
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
