import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ServerMetricsSchema } from '../../../lib/api/metrics';
import { bucketOf, LATENCY_BUCKETS } from '../../../lib/metrics/latency-histogram';
import { api, signUp, type SignedUp } from './support/accounts';
import { expectShape } from './support/contract';
import { createServer } from './support/servers';

type Seed = {
  tool: string;
  at: number;
  calls: number;
  errors?: Partial<
    Record<
      | 'err_downstream_4xx'
      | 'err_downstream_5xx'
      | 'err_timeout'
      | 'err_scope_refused'
      | 'err_invalid_arguments'
      | 'err_other',
      number
    >
  >;
  /** Latencies (ms) of the calls that ran, one sample each. */
  latencies?: number[];
  clientId?: string;
};

/** A tool_metrics row as the runner's flush writes it (workers/runner/src/store/tool-metrics.ts). */
async function seed(serverId: string, s: Seed): Promise<void> {
  const hist = new Array<number>(LATENCY_BUCKETS).fill(0);
  for (const ms of s.latencies ?? []) hist[bucketOf(ms)]! += 1;
  const errs = {
    err_downstream_4xx: 0,
    err_downstream_5xx: 0,
    err_timeout: 0,
    err_scope_refused: 0,
    err_invalid_arguments: 0,
    err_other: 0,
    ...s.errors,
  };
  const errors = Object.values(errs).reduce((a, b) => a + b, 0);
  const cols = [
    'server_id',
    'minute',
    'version',
    'tool',
    'client_id',
    'calls',
    'errors',
    ...Object.keys(errs),
    ...hist.map((_, i) => `h${i}`),
  ];
  await env.DB.prepare(
    `INSERT INTO tool_metrics (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
  )
    .bind(
      serverId,
      s.at - (s.at % 60_000),
      1,
      s.tool,
      s.clientId ?? 'cl_a',
      s.calls,
      errors,
      ...Object.values(errs),
      ...hist,
    )
    .run();
}

async function metrics(
  as: SignedUp,
  serverId: string,
  window?: string,
  headers?: Record<string, string>,
) {
  return api(`/v1/servers/${serverId}/metrics${window ? `?window=${window}` : ''}`, {
    as,
    headers,
  });
}

describe('GET /v1/servers/:id/metrics', () => {
  it('sums the last hour per tool with errors by kind and p50/p95 from the merged histograms, and a 60-point series', async () => {
    const owner = await signUp();
    const server = await createServer(owner);
    const now = Date.now();
    // 20 calls over two clients' rows of one minute: 10 at ~10 ms ([8, 12)), 10 at ~60 ms ([50, 80)).
    await seed(server.id, {
      tool: 'get_forecast',
      at: now,
      calls: 10,
      latencies: Array(10).fill(10),
      clientId: 'cl_a',
    });
    await seed(server.id, {
      tool: 'get_forecast',
      at: now,
      calls: 11,
      errors: { err_downstream_5xx: 2, err_scope_refused: 1 },
      latencies: Array(10).fill(60),
      clientId: 'cl_b',
    });
    await seed(server.id, {
      tool: 'search',
      at: now - 10 * 60_000,
      calls: 1,
      errors: { err_timeout: 1 },
      latencies: [9000],
    });
    // Outside the hour (still inside 24 h), and another server's row: neither counts.
    await seed(server.id, {
      tool: 'get_forecast',
      at: now - 3 * 3600_000,
      calls: 5,
      latencies: Array(5).fill(2),
    });
    const other = await createServer(owner);
    await seed(other.id, { tool: 'get_forecast', at: now, calls: 7, latencies: Array(7).fill(2) });

    const res = await metrics(owner, server.id, '1h');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = expectShape(ServerMetricsSchema, await res.json());
    expect(body.window).toBe('1h');
    expect(body.stepMs).toBe(60_000);
    expect(body.series).toHaveLength(60);
    const forecast = body.tools.find((t) => t.name === 'get_forecast')!;
    expect(forecast).toMatchObject({
      calls: 21,
      errors: 3,
      errorsByKind: { downstream_5xx: 2, scope_refused: 1, downstream_4xx: 0, timeout: 0 },
    });
    // Rank 10 of 20 is the last sample of [8, 12): interpolated to its upper bound. Rank 19 of 20
    // is 9/10 into [50, 80): 50 + 30 × 0.9.
    expect(forecast.p50Ms).toBe(12);
    expect(forecast.p95Ms).toBe(77);
    // Located by time, not position, so a minute turning over mid-test cannot move them.
    const slotOf = (at: number) => (at - (at % 60_000) - body.from) / body.stepMs;
    expect(forecast.spark[slotOf(now)]).toBe(21);
    expect(body.tools.map((t) => t.name)).toEqual(['get_forecast', 'search']);
    expect(body.tools[1]).toMatchObject({
      calls: 1,
      errors: 1,
      errorsByKind: { timeout: 1 },
      p50Ms: 8000 + 4000 * 0.5,
    });
    expect(body.totals).toMatchObject({ calls: 22, errors: 4 });
    expect(body.series[slotOf(now)]).toMatchObject({ calls: 21, errors: 3, p50Ms: 12, p95Ms: 77 });
    expect(body.series[slotOf(now - 10 * 60_000)]).toMatchObject({ calls: 1, errors: 1 });
    expect(body.series.reduce((a, p) => a + p.calls, 0)).toBe(22);
    expect(body.series[0]!.p50Ms).toBeNull();
  });

  it('widens to 24 h at 15-minute points and 7 d at 2-hour points', async () => {
    const owner = await signUp();
    const server = await createServer(owner);
    const now = Date.now();
    await seed(server.id, { tool: 't', at: now, calls: 1, latencies: [5] });
    await seed(server.id, { tool: 't', at: now - 3 * 3600_000, calls: 2, latencies: [5, 5] });
    await seed(server.id, {
      tool: 't',
      at: now - 3 * 24 * 3600_000,
      calls: 4,
      latencies: [5, 5, 5, 5],
    });

    const day = expectShape(
      ServerMetricsSchema,
      await (await metrics(owner, server.id, '24h')).json(),
    );
    expect(day).toMatchObject({ window: '24h', stepMs: 15 * 60_000 });
    expect(day.series).toHaveLength(96);
    expect(day.totals.calls).toBe(3);

    const week = expectShape(
      ServerMetricsSchema,
      await (await metrics(owner, server.id, '7d')).json(),
    );
    expect(week).toMatchObject({ window: '7d', stepMs: 2 * 3600_000 });
    expect(week.series).toHaveLength(84);
    expect(week.totals.calls).toBe(7);
    expect(week.series.at(-1)!.t + week.stepMs).toBe(week.to);
    expect(week.to - week.from).toBe(7 * 24 * 3600_000);

    // The default window is 24 h.
    const dflt = expectShape(ServerMetricsSchema, await (await metrics(owner, server.id)).json());
    expect(dflt.window).toBe('24h');
  });

  it('answers a server with no calls with zeros and null percentiles', async () => {
    const owner = await signUp();
    const server = await createServer(owner);
    const body = expectShape(
      ServerMetricsSchema,
      await (await metrics(owner, server.id, '1h')).json(),
    );
    expect(body.tools).toEqual([]);
    expect(body.totals).toMatchObject({ calls: 0, errors: 0, p50Ms: null, p95Ms: null });
    expect(body.series.every((p) => p.calls === 0)).toBe(true);
  });

  it('refuses an unknown window with 422 validation_failed naming the allowed values', async () => {
    const owner = await signUp();
    const server = await createServer(owner);
    const res = await metrics(owner, server.id, '2d');
    expect(res.status).toBe(422);
    const body = await res.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toContain('window');
    for (const w of ['1h', '24h', '7d']) expect(body.error.message).toContain(w);
  });

  it('lets a plain member of the org read and hides the server from other orgs with 404', async () => {
    const owner = await signUp();
    const server = await createServer(owner);
    const member = await signUp();
    await env.DB.prepare(
      'INSERT INTO members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)',
    )
      .bind(owner.orgId, member.user.id, 'member', Date.now())
      .run();
    const asMember = await metrics(member, server.id, '1h', { 'x-moat-org': owner.orgId });
    expect(asMember.status).toBe(200);

    const stranger = await signUp();
    const res = await metrics(stranger, server.id, '1h');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });

    const anonymous = await api(`/v1/servers/${server.id}/metrics`);
    expect(anonymous.status).toBe(401);
  });

  it('deletes a server’s metrics with the server', async () => {
    const owner = await signUp();
    const server = await createServer(owner);
    await seed(server.id, { tool: 't', at: Date.now(), calls: 1, latencies: [5] });
    expect((await api(`/v1/servers/${server.id}`, { as: owner, method: 'DELETE' })).status).toBe(
      204,
    );
    const left = await env.DB.prepare('SELECT COUNT(*) AS n FROM tool_metrics WHERE server_id = ?')
      .bind(server.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});
