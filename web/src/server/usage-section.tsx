// The server page's Usage section: its charts (usage.tsx) are a separate chunk, so the first
// page's JS budget does not carry them.
import { lazy, Suspense } from 'react';
import { Spinner } from '../ui';

const Usage = lazy(() => import('./usage'));

export function UsageSection({ serverId }: { serverId: string }) {
  return (
    <section aria-labelledby="usage" className="section">
      <Suspense
        fallback={
          <>
            <h2 id="usage">Usage</h2>
            <Spinner label="Loading usage…" />
          </>
        }
      >
        <Usage serverId={serverId} />
      </Suspense>
    </section>
  );
}
