// /v1/servers/:id/alerts: one webhook per server, called when its downstream API fails or its
// error rate spikes (docs/observability.md "Alerts"). PUT sets the URL and issues a new signing
// secret, shown in that answer only.
import { z } from 'zod';
import { isPrivateHost } from '../spec/egress';
import { EpochMsSchema } from './time';

export const ALERT_TYPES = ['downstream_failing', 'error_spike'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/**
 * Why a webhook URL may not be called, or undefined when it may: https only, no credentials or
 * fragment, and no private or loopback address unless the platform allows private egress (local
 * development and tests, DESIGN §4). The runner checks it again before every delivery.
 */
export function webhookUrlProblem(value: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    return 'must be an https URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (url.hash) return 'must not have a fragment';
  if (!allowPrivate && isPrivateHost(url.hostname)) {
    return 'must not point to a private or loopback address';
  }
  return undefined;
}

export const AlertPutSchema = z.strictObject({ url: z.string().max(2048) });

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
