// When a server's alert webhook is called (docs/observability.md "Alerts"), in one place: the
// runner evaluates these numbers (workers/runner/src/alerts/), and the dashboard and `moat alerts`
// say them in plain words, so what an owner reads is what the runner does. No runtime imports: the
// CLI runs this file as it is (Node type stripping).

export const ALERT_TYPES = ['downstream_failing', 'error_spike'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** The stretch of recent calls each check looks at. */
export const ALERT_WINDOW_MS = 5 * 60_000;
/** A failing downstream: at least this many 5xx or timeouts, and at least half of the calls. */
export const FAILING_MIN = 3;
/** An error spike: at least this many calls, and at least half of them errors of any kind. */
export const SPIKE_MIN_CALLS = 10;
/** At most one alert of each type per server in this time. */
export const ALERT_COOLDOWN_MS = 15 * 60_000;

const minutes = (ms: number) => `${ms / 60_000} minutes`;

/** Each alert type with the condition that raises it, as a sentence for people. */
export const ALERT_RULES: readonly { type: AlertType; title: string; when: string }[] = [
  {
    type: 'downstream_failing',
    title: 'The API is failing',
    when: `at least ${FAILING_MIN} tool calls in ${minutes(ALERT_WINDOW_MS)} failed at the API behind the server (5xx or timeout), and they were at least half of the calls`,
  },
  {
    type: 'error_spike',
    title: 'Errors spike',
    when: `at least ${SPIKE_MIN_CALLS} tool calls in ${minutes(ALERT_WINDOW_MS)}, and at least half of them were errors of any kind`,
  },
];

/** How often, said once under the rules. */
export const ALERT_CADENCE = `At most one alert of each kind every ${minutes(ALERT_COOLDOWN_MS)}; a delivery your URL does not answer with a 2xx is retried with growing delays for about 3 hours.`;
