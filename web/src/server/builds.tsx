// Builds of a server, newest first, each with its log; "Rebuild" starts a new one.
import { useState } from 'react';
import { api, listOf } from '../api';
import { BuildLog, useBuildLog, type Build } from '../build-log';
import { Section } from '../section';
import { useApi } from '../use-api';
import { ErrorBox, when } from '../ui';
import { statusBadge } from '../pages/servers';

type BuildRow = Build & { createdAt?: string | number; finishedAt?: string | number };

function LiveLog({ id, onDone }: { id: string; onDone: () => void }) {
  const { lines, build } = useBuildLog(id, onDone);
  return (
    <BuildLog
      lines={lines}
      live={!build || !['succeeded', 'failed'].includes(build.status ?? '')}
    />
  );
}

export function Builds({ serverId }: { serverId: string }) {
  const state = useApi<unknown>(`/v1/servers/${encodeURIComponent(serverId)}/builds`);
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState<unknown>();
  const rebuild = async () => {
    try {
      const b = await api<{ id: string }>(`/v1/servers/${encodeURIComponent(serverId)}/builds`, {
        method: 'POST',
        body: {},
      });
      setOpen(b.id);
      await state.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Section
      title="Builds"
      id="builds"
      what="Build history"
      state={state}
      actions={
        <button type="button" className="btn btn-small" onClick={rebuild}>
          Rebuild
        </button>
      }
    >
      {(data) => {
        const builds = listOf<BuildRow>(data, 'builds');
        return (
          <>
            <ErrorBox error={error} />
            {builds.length === 0 ? (
              <p className="muted">
                No builds yet. Rebuild tests every tool and publishes a new version.
              </p>
            ) : (
              <ul className="list">
                {builds.map((b) => (
                  <li key={b.id}>
                    <div className="list-row">
                      <code>{b.id}</code> {statusBadge(b.status)}{' '}
                      <span className="muted small">{when(b.createdAt)}</span>
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-expanded={open === b.id}
                        onClick={() => setOpen(open === b.id ? undefined : b.id)}
                      >
                        {open === b.id ? 'Hide log' : 'Show log'}
                      </button>
                    </div>
                    {open === b.id && <LiveLog id={b.id} onDone={() => void state.reload()} />}
                  </li>
                ))}
              </ul>
            )}
          </>
        );
      }}
    </Section>
  );
}
