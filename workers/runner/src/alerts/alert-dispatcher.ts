// AlertDispatcher: one Durable Object per server with an alert webhook. `raise` deduplicates (one
// alert per type per COOLDOWN_MS) and queues a delivery in the object's storage; its alarm posts
// each due delivery to the webhook, signed (webhook-signature.ts), through the same egress rule
// the URL was accepted under, and retries a failure with exponential backoff (ALERT_RETRY_BASE_MS
// ×4 per attempt) up to MAX_ATTEMPTS. Storage survives eviction, so a queued alert outlives the
// isolate that raised it (docs/observability.md "Alerts").
import { DurableObject } from 'cloudflare:workers';
import { webhookUrlProblem, type AlertType } from '../../../../lib/api/alerts';
import { ALERT_COOLDOWN_MS } from '../../../../lib/observability/alert-rules';
import { newId } from '../../../../lib/ids';
import { alertTarget } from '../store/alert-targets';
import { alertSummary, type RecentCounts } from './alert-rules';
import { signatureHeader } from './webhook-signature';

export const COOLDOWN_MS = ALERT_COOLDOWN_MS;
export const MAX_ATTEMPTS = 6;
const DELIVERY_TIMEOUT_MS = 10_000;

type Delivery = { id: string; type: AlertType; body: string; attempt: number; nextAt: number };

export type RaisedAlert = { type: AlertType; counts: RecentCounts; from: number; to: number };

export class AlertDispatcher extends DurableObject<Env> {
  /** Queues the alert unless one of its type was raised within the cooldown; true if queued. */
  async raise(alert: RaisedAlert): Promise<boolean> {
    const kv = this.ctx.storage.kv;
    const now = Date.now();
    const last = kv.get<number>(`last:${alert.type}`);
    if (last !== undefined && now - last < COOLDOWN_MS) return false;
    kv.put(`last:${alert.type}`, now);
    const id = newId('alt');
    const { counts } = alert;
    const body = JSON.stringify({
      id,
      type: alert.type,
      createdAt: now,
      serverId: counts.serverId,
      window: { from: alert.from, to: alert.to },
      calls: counts.calls,
      errors: counts.errors,
      downstreamFailures: counts.failing,
      summary: alertSummary(alert.type, counts),
    });
    kv.put(`delivery:${id}`, {
      id,
      type: alert.type,
      body,
      attempt: 0,
      nextAt: now,
    } satisfies Delivery);
    await this.#wakeAt(now);
    return true;
  }

  override async alarm(): Promise<void> {
    const kv = this.ctx.storage.kv;
    const now = Date.now();
    const base = Number(this.env.ALERT_RETRY_BASE_MS) || 30_000;
    let next: number | undefined;
    for (const [key, d] of kv.list<Delivery>({ prefix: 'delivery:' })) {
      if (d.nextAt > now) {
        next = Math.min(next ?? d.nextAt, d.nextAt);
        continue;
      }
      const outcome = await this.#deliver(d);
      if (outcome === 'retry' && d.attempt + 1 < MAX_ATTEMPTS) {
        const retry = { ...d, attempt: d.attempt + 1, nextAt: now + base * 4 ** d.attempt };
        kv.put(key, retry);
        next = Math.min(next ?? retry.nextAt, retry.nextAt);
      } else {
        if (outcome === 'retry') console.error('alert dropped after retries', { id: d.id });
        kv.delete(key);
      }
    }
    if (next !== undefined) await this.ctx.storage.setAlarm(next);
  }

  async #wakeAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** 'done' on a 2xx, or when there is nothing (any more) to deliver to; 'retry' otherwise. */
  async #deliver(d: Delivery): Promise<'done' | 'retry'> {
    const serverId = (JSON.parse(d.body) as { serverId: string }).serverId;
    const target = await alertTarget(this.env.DB, this.env.MASTER_KEY, serverId);
    if (!target) return 'done'; // the webhook was removed since
    const allowPrivate = this.env.ALLOW_PRIVATE_EGRESS === '1';
    if (webhookUrlProblem(target.url, allowPrivate)) return 'done';
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'moat-alerts',
          'x-moat-event': d.type,
          'x-moat-delivery': d.id,
          'x-moat-signature': await signatureHeader(target.secret, d.body, Date.now()),
        },
        body: d.body,
        // A redirect is not followed (it could lead past the egress rule): it counts as a failure.
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) return 'done';
      console.error('alert delivery failed', { id: d.id, status: res.status, attempt: d.attempt });
    } catch {
      console.error('alert delivery failed', { id: d.id, attempt: d.attempt });
    }
    return 'retry';
  }
}
