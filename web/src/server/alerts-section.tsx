// The server page's Alerts section: its form (alerts.tsx) is a separate chunk, like Usage, so the
// first page's JS budget does not carry it.
import { lazy, Suspense } from 'react';
import { Spinner } from '../ui';

const Alerts = lazy(() => import('./alerts'));

export function AlertsSection({ serverId }: { serverId: string }) {
  return (
    <section aria-labelledby="alerts" className="section">
      <Suspense
        fallback={
          <>
            <h2 id="alerts">Alerts</h2>
            <Spinner label="Loading alerts…" />
          </>
        }
      >
        <Alerts serverId={serverId} />
      </Suspense>
    </section>
  );
}
