// The runner's reads for alerts (docs/observability.md "Alerts"): recent counts of the servers
// that have a webhook, and one server's webhook with its sealed signing secret.
import { alertAad, openSecret } from '../../../../lib/crypto/envelope';
import type { RecentCounts } from '../alerts/alert-rules';

/** Counts since `since` of those of `serverIds` that have an alert webhook. */
export async function recentCountsWithAlerts(
  db: D1Database,
  serverIds: readonly string[],
  since: number,
): Promise<RecentCounts[]> {
  if (serverIds.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT m.server_id AS serverId, SUM(m.calls) AS calls, SUM(m.errors) AS errors,
         SUM(m.err_downstream_5xx + m.err_timeout) AS failing
       FROM tool_metrics m JOIN server_alerts a ON a.server_id = m.server_id
       WHERE m.server_id IN (${serverIds.map(() => '?').join(', ')}) AND m.minute >= ?
       GROUP BY m.server_id`,
    )
    .bind(...serverIds, since)
    .all<RecentCounts>();
  return results;
}

/** The server's webhook URL and its opened signing secret, or undefined if none is set. */
export async function alertTarget(
  db: D1Database,
  masterKey: string,
  serverId: string,
): Promise<{ url: string; secret: string } | undefined> {
  const row = await db
    .prepare(
      `SELECT url, ciphertext, iv, wrapped_key AS wrappedKey, key_version AS keyVersion
       FROM server_alerts WHERE server_id = ?`,
    )
    .bind(serverId)
    .first<{
      url: string;
      ciphertext: string;
      iv: string;
      wrappedKey: string;
      keyVersion: number;
    }>();
  if (!row) return undefined;
  const { url, ...sealed } = row;
  return { url, secret: await openSecret(masterKey, sealed, alertAad(serverId)) };
}
