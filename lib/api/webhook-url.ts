// The shape every alert webhook URL must have, checked where it is typed (dashboard form,
// `moat alerts set`) and again by the API. What depends on the platform — https only and no
// private address, unless it allows private egress — only the API (and the runner) can decide:
// `webhookUrlProblem` in ./alerts.ts. No runtime imports: the CLI runs this file as it is.

/** The longest URL PUT /v1/servers/:id/alerts accepts (AlertPutSchema). */
export const WEBHOOK_URL_MAX = 2048;

/** Why `value` cannot be a webhook URL anywhere, or undefined: a phrase after "The webhook URL". */
export function webhookUrlShapeProblem(value: string): string | undefined {
  if (value.length > WEBHOOK_URL_MAX) return `must be at most ${WEBHOOK_URL_MAX} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.hash) return 'must not have a fragment';
  return undefined;
}
