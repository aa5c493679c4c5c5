// After a metrics flush that carried errors: which of those servers (with a webhook) now call for
// an alert, raised with their AlertDispatcher (which deduplicates). Best effort, like the flush.
import { recentCountsWithAlerts } from '../store/alert-targets';
import { ALERT_WINDOW_MS, alertFor } from './alert-rules';

export async function checkAlerts(
  env: Pick<Env, 'DB' | 'ALERTS'>,
  serverIds: readonly string[],
  now = Date.now(),
): Promise<void> {
  const from = now - ALERT_WINDOW_MS;
  const counts = await recentCountsWithAlerts(env.DB, serverIds, from - (from % 60_000));
  await Promise.all(
    counts.map(async (c) => {
      const type = alertFor(c);
      if (!type) return;
      await env.ALERTS.get(env.ALERTS.idFromName(c.serverId)).raise({
        type,
        counts: c,
        from,
        to: now,
      });
    }),
  );
}
