// GET /v1/servers/:id/connection-attempts?outcome= (DESIGN §9 "Observability"): the connection
// recorder's attempts for one server over the retention period, newest first, at most 100, each
// with its steps, outcome, first failing step and diagnosis (docs/observability.md).
import type { Context } from 'hono';
import {
  ConnectionAttemptQuerySchema,
  type ConnectionAttemptList,
} from '../../../../../lib/api/connection-attempts';
import { CONNECTION_EVENT_TTL_MS } from '../../../../../lib/db/connection-events';
import { assembleAttempts, stepsOf } from '../../../../../lib/observability/assemble-attempts';
import { judgeAttempt } from '../../../../../lib/observability/diagnose-attempt';
import { serverScopes } from '../../../../../lib/spec/server-spec';
import type { AppEnv } from '../../app-env';
import { oauthConfig } from '../../authorization-server/config';
import { principalOf } from '../../middleware/session';
import {
  clientNames,
  listServerConnectionEvents,
  sweepConnectionEvents,
} from '../../store/connection-events';
import { getPublishedSpec } from '../../store/servers';
import { pathParam } from '../path-param';
import { readQuery } from '../request-body';
import { ownAnyServer, requireWriter } from './access';

const MAX_ATTEMPTS = 100;

export async function list(c: Context<AppEnv>): Promise<Response> {
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  requireWriter(principalOf(c));
  const q = readQuery(c, ConnectionAttemptQuerySchema);
  const now = Date.now();
  const [events, published] = await Promise.all([
    listServerConnectionEvents(c.env.DB, server.id, now - CONNECTION_EVENT_TTL_MS),
    getPublishedSpec(c.env.DB, server.id),
  ]);
  const expect = {
    resource: `${oauthConfig(c.env).runnerOrigin}/${server.slug}/mcp`,
    scopes: published ? serverScopes(published.spec) : [],
  };
  const judged = assembleAttempts(events)
    .map((g) => ({ g, steps: stepsOf(g) }))
    .map(({ g, steps }) => ({ g, steps, verdict: judgeAttempt(steps, expect, now) }))
    .filter(({ verdict }) => !q.outcome || verdict.outcome === q.outcome)
    .slice(0, MAX_ATTEMPTS);
  const names = await clientNames(c.env.DB, [
    ...new Set(judged.flatMap(({ g }) => (g.clientId ? [g.clientId] : []))),
  ]);
  const body: ConnectionAttemptList = {
    attempts: judged.map(({ g, steps, verdict }) => {
      const registered = steps.find((s) => s.step === 'registration')?.detail.clientName;
      return {
        id: g.id,
        clientId: g.clientId,
        clientName:
          (g.clientId ? names.get(g.clientId) : undefined) ??
          (typeof registered === 'string' ? registered : null),
        startedAt: steps[0]!.at,
        durationMs: steps[steps.length - 1]!.at - steps[0]!.at,
        ...verdict,
        steps,
      };
    }),
    retentionDays: CONNECTION_EVENT_TTL_MS / 86_400_000,
  };
  // The opportunistic sweep (store/connection-events.ts) also runs when an owner looks.
  try {
    c.executionCtx.waitUntil(sweepConnectionEvents(c.env.DB, now).catch(() => undefined));
  } catch {
    // No execution context (tests calling the app directly): the write-time sweep remains.
  }
  return c.json(body, 200, { 'cache-control': 'no-store' });
}
