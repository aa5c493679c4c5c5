// What the runner tells the connection health table and the connection recorder
// (docs/observability.md): discovery (its 401 to a request without a token, its Protected
// Resource Metadata), the first request with each new grant, accepted use and refusals (401 with
// a token whose signature verified — expired, revoked, another audience — and 403 for scope).
// Every write runs after the response (waitUntil), passes the write gate and never fails a
// request: a failed write is logged by name only.
import { waitUntil } from 'cloudflare:workers';
import {
  connectionEventStatement,
  type ConnectionEventInput,
} from '../../../../lib/db/connection-events';
import { requesterKey } from '../../../../lib/observability/requester';
import { grantIdOfJti } from '../../../../lib/tokens/revocation';
import type { Principal } from '../bearer';
import {
  acceptedStatement,
  forbiddenStatement,
  unauthorizedStatement,
} from '../store/client-health';
import {
  firstTime,
  gate,
  withinBudget,
  writeIntervalMs,
} from '../../../../lib/observability/write-gate';

type TelemetryEnv = Pick<Env, 'DB' | 'TELEMETRY_WRITE_INTERVAL_SECONDS'>;
type Server = { id: string; resource: string };

/** Last use is written less often than refusals: it only has to beat a 401 streak. */
const USE_INTERVAL_FACTOR = 5;

function later(work: () => Promise<unknown>): void {
  waitUntil(
    work().catch((err: unknown) => {
      console.error('connection telemetry write failed', { name: (err as Error).name });
    }),
  );
}

function event(env: TelemetryEnv, req: Request, e: ConnectionEventInput): Promise<unknown> {
  return requesterKey(req.headers).then((requester) =>
    connectionEventStatement(env.DB, { requester, ...e }).run(),
  );
}

/** Discovery as the runner sees it: its 401 without a token, and its PRM (RFC 9728 §3). */
export function noteDiscovery(
  env: TelemetryEnv,
  req: Request,
  server: Server,
  what: 'unauthenticated_401' | 'protected_resource_metadata',
): void {
  later(async () => {
    const requester = await requesterKey(req.headers);
    if (
      gate(
        `${what}:${server.id}:${requester}`,
        writeIntervalMs(env.TELEMETRY_WRITE_INTERVAL_SECONDS),
      ) === 0 ||
      !withinBudget()
    )
      return;
    await connectionEventStatement(env.DB, {
      step: 'discovery',
      ok: true,
      serverId: server.id,
      requester,
      detail: { what, url: new URL(req.url).pathname, resource: server.resource },
    }).run();
  });
}

/** A request the bearer check accepted: last use, and the first request of each grant. */
export function noteAccepted(env: TelemetryEnv, req: Request, server: Server, p: Principal): void {
  const now = Date.now();
  const grantId = grantIdOfJti(p.jti);
  const first = grantId !== undefined && firstTime(`grant:${grantId}`);
  const use = gate(
    `use:${server.id}:${p.clientId}`,
    writeIntervalMs(env.TELEMETRY_WRITE_INTERVAL_SECONDS) * USE_INTERVAL_FACTOR,
    now,
  );
  if (!first && use === 0) return;
  later(async () => {
    const writes: Promise<unknown>[] = [];
    if (use > 0) writes.push(acceptedStatement(env.DB, server.id, p.clientId, now).run());
    if (first) {
      writes.push(
        event(env, req, {
          step: 'mcp_request',
          ok: true,
          serverId: server.id,
          clientId: p.clientId,
          grantId,
          now,
          detail: {
            status: 'accepted',
            method: req.method,
            tokenAgeSeconds: Math.max(0, Math.round(now / 1000 - p.iat)),
          },
        }),
      );
    }
    await Promise.all(writes);
  });
}

/** A 401 for a token whose signature verified, so its client is known (RFC 6750 §3.1). */
export function noteUnauthorized(
  env: TelemetryEnv,
  req: Request,
  server: Server,
  clientId: string,
  reason: string,
): void {
  const now = Date.now();
  const count = gate(
    `401:${server.id}:${clientId}`,
    writeIntervalMs(env.TELEMETRY_WRITE_INTERVAL_SECONDS),
    now,
  );
  if (count === 0) return;
  later(() =>
    Promise.all([
      unauthorizedStatement(env.DB, { serverId: server.id, clientId, now, reason, count }).run(),
      event(env, req, {
        step: 'mcp_request',
        ok: false,
        serverId: server.id,
        clientId,
        now,
        detail: { status: 401, reason },
      }),
    ]),
  );
}

/** A 403 insufficient_scope (RFC 6750 §3.1): the token is good, its scope is not enough. */
export function noteForbidden(
  env: TelemetryEnv,
  req: Request,
  server: Server,
  p: Principal,
  needed: string,
): void {
  const now = Date.now();
  if (
    gate(
      `403:${server.id}:${p.clientId}`,
      writeIntervalMs(env.TELEMETRY_WRITE_INTERVAL_SECONDS),
      now,
    ) === 0
  )
    return;
  later(() =>
    Promise.all([
      forbiddenStatement(env.DB, {
        serverId: server.id,
        clientId: p.clientId,
        now,
        scope: needed,
      }).run(),
      event(env, req, {
        step: 'mcp_request',
        ok: false,
        serverId: server.id,
        clientId: p.clientId,
        grantId: grantIdOfJti(p.jti) ?? null,
        now,
        detail: { status: 403, reason: 'insufficient_scope', needed, granted: p.scopes.join(' ') },
      }),
    ]),
  );
}
