// Builds of a server, newest first, each with its log; "Rebuild" starts a new one.
import { useState } from 'react';
import type { BuildList, BuildStarted, BuildSummary } from '../../../lib/api/builds';
import { api } from '../api';
import { BuildLog, useBuildLog } from '../build-log';
import { statusBadge } from '../pages/servers';
import { Section } from '../section';
import { Table } from '../table';
import { useApi } from '../use-api';
import { ErrorBox, when } from '../ui';

function LiveLog({ id, onDone }: { id: string; onDone: () => void }) {
  const { lines, build } = useBuildLog(id, onDone);
  return (
    <BuildLog lines={lines} live={!build || !['succeeded', 'failed'].includes(build.status)} />
  );
}

export function Builds({ serverId }: { serverId: string }) {
  const state = useApi<BuildList>(`/v1/servers/${encodeURIComponent(serverId)}/builds`);
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState<unknown>();
  const rebuild = async () => {
    try {
      const b = await api<BuildStarted>(`/v1/servers/${encodeURIComponent(serverId)}/builds`, {
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
      state={state}
      actions={
        <button type="button" className="btn btn-small" onClick={rebuild}>
          Rebuild
        </button>
      }
    >
      {(data) => (
        <>
          <ErrorBox error={error} />
          <Table<BuildSummary>
            rows={data.builds}
            rowKey={(b) => b.id}
            empty="No builds yet. Rebuild tests every tool and publishes a new version."
            columns={[
              { header: 'Build', cell: (b) => <code>{b.id}</code> },
              { header: 'Status', cell: (b) => statusBadge(b.status) },
              { header: 'Version', cell: (b) => (b.version ? `v${b.version}` : '—') },
              { header: 'Started', cell: (b) => when(b.createdAt), className: 'nowrap' },
              {
                header: 'Log',
                hidden: true,
                cell: (b) => (
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-expanded={open === b.id}
                    onClick={() => setOpen(open === b.id ? undefined : b.id)}
                  >
                    {open === b.id ? 'Hide log' : 'Show log'}
                  </button>
                ),
              },
            ]}
            detail={(b) =>
              open === b.id && <LiveLog id={b.id} onDone={() => void state.reload()} />
            }
          />
        </>
      )}
    </Section>
  );
}
