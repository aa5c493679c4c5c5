// When a server's recent calls warrant an alert (docs/observability.md "Alerts"). Evaluated after
// a metrics flush that carried errors, over the server's last ALERT_WINDOW_MS in tool_metrics (all
// isolates' flushed counts), so one isolate's few calls and every isolate's many weigh alike.
// The numbers live in lib, where the dashboard and the CLI read them too.
import {
  FAILING_MIN,
  SPIKE_MIN_CALLS,
  type AlertType,
} from '../../../../lib/observability/alert-rules';

export { ALERT_WINDOW_MS } from '../../../../lib/observability/alert-rules';

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
