// /v1/servers/:id/alerts: one webhook per server, called when its downstream API fails or its
// error rate spikes (docs/observability.md "Alerts"). PUT sets the URL and issues a new signing
// secret, shown in that answer only.
import { z } from 'zod';
import { isPrivateHost } from '../spec/egress';
import { EpochMsSchema } from './time';
import { WEBHOOK_URL_MAX, webhookUrlShapeProblem } from './webhook-url';

export { ALERT_TYPES, type AlertType } from '../observability/alert-rules';

/**
 * Why a webhook URL may not be called, or undefined when it may: https only, no credentials or
 * fragment, and no private or loopback address unless the platform allows private egress (local
 * development and tests, DESIGN §4). The runner checks it again before every delivery.
 */
export function webhookUrlProblem(value: string, allowPrivate: boolean): string | undefined {
  const shape = webhookUrlShapeProblem(value);
  if (shape) return shape;
  const url = new URL(value);
  if (url.protocol !== 'https:' && !allowPrivate) return 'must be an https URL';
  if (!allowPrivate && isPrivateHost(url.hostname)) {
    return 'must not point to a private or loopback address';
  }
  return undefined;
}

export const AlertPutSchema = z.strictObject({ url: z.string().max(WEBHOOK_URL_MAX) });

export const AlertSchema = z.strictObject({
  url: z.string(),
  createdAt: EpochMsSchema,
  updatedAt: EpochMsSchema,
});

/** GET: the server's webhook, or null; never its secret. */
export const AlertStatusSchema = z.strictObject({ alert: AlertSchema.nullable() });

/** PUT: the webhook and its new signing secret (`whsec_…`), shown this once. */
export const AlertSetSchema = z.strictObject({
  alert: AlertSchema,
  secret: z.string(),
});

export type Alert = z.infer<typeof AlertSchema>;
export type AlertStatus = z.infer<typeof AlertStatusSchema>;
export type AlertSet = z.infer<typeof AlertSetSchema>;
