// When a server's recent calls warrant an alert (docs/observability.md "Alerts"). Evaluated after
// a metrics flush that carried errors, over the server's last ALERT_WINDOW_MS in tool_metrics (all
// isolates' flushed counts), so one isolate's few calls and every isolate's many weigh alike.
import type { AlertType } from '../../../../lib/api/alerts';

export const ALERT_WINDOW_MS = 5 * 60_000;
/** A failing downstream: at least this many 5xx or timeouts, and at least half of the calls. */
export const FAILING_MIN = 3;
/** An error spike: at least this many calls, and at least half of them errors of any kind. */
export const SPIKE_MIN_CALLS = 10;

export type RecentCounts = {
  serverId: string;
  calls: number;
  errors: number;
  /** downstream_5xx + timeout */
  failing: number;
};

/** The alert the counts call for, the more specific first, or undefined. */
export function alertFor(c: RecentCounts): AlertType | undefined {
  if (c.failing >= FAILING_MIN && c.failing * 2 >= c.calls) return 'downstream_failing';
  if (c.calls >= SPIKE_MIN_CALLS && c.errors * 2 >= c.calls) return 'error_spike';
  return undefined;
}

export function alertSummary(type: AlertType, c: RecentCounts): string {
  return type === 'downstream_failing'
    ? `${c.failing} of ${c.calls} tool calls in the last 5 minutes failed at the downstream API (5xx or timeout).`
    : `${c.errors} of ${c.calls} tool calls in the last 5 minutes were errors.`;
}
