import { describe, expect, it } from 'vitest';
import { bucketOf } from '../../../lib/metrics/latency-histogram';
import { callTool, initialize } from './support/mcp';
import { flushedMetrics } from './support/metrics';
import {
  addCityTool,
  downstream,
  publishWithApiKey,
  uniqueSlug,
  weatherSpec,
} from './support/servers';
import { mintToken } from './support/tokens';

const failingTool = (name: string, path: string, timeoutMs?: number) => ({
  name,
  description: `Calls ${path}`,
  inputSchema: { type: 'object' as const, properties: {} },
  annotations: { readOnlyHint: true },
  http: { method: 'GET' as const, url: downstream(path), ...(timeoutMs ? { timeoutMs } : {}) },
});

describe('tool-call metrics', () => {
  it('adds each outcome to its tool’s row after the flush: calls, errors by kind and a latency histogram', async () => {
    const slug = uniqueSlug('metrics');
    const spec = weatherSpec(slug);
    spec.tools.push(
      failingTool('not_found', '/status?code=404'),
      failingTool('broken', '/status?code=503'),
      failingTool('slow', '/slow?ms=2000', 100),
    );
    const server = await publishWithApiKey(spec, 'sk_metrics');
    const token = await mintToken(slug, { scope: 'mcp:read', clientId: 'cl_metrics' });
    const session = await initialize(slug, token);

    await callTool(slug, token, session, 'get_forecast', { city: 'Oslo' });
    await callTool(slug, token, session, 'get_forecast', { city: 'Rome' });
    await callTool(slug, token, session, 'get_forecast', { town: 'Rome' }); // invalid arguments
    await callTool(slug, token, session, 'not_found', {});
    await callTool(slug, token, session, 'broken', {});
    await callTool(slug, token, session, 'slow', {});

    const rows = await flushedMetrics(server.id, 6);
    expect(rows.get_forecast).toMatchObject({
      version: 1,
      client_id: 'cl_metrics',
      calls: 3,
      errors: 1,
      err_invalid_arguments: 1,
      err_downstream_4xx: 0,
    });
    expect(rows.not_found).toMatchObject({ calls: 1, errors: 1, err_downstream_4xx: 1 });
    expect(rows.broken).toMatchObject({ calls: 1, errors: 1, err_downstream_5xx: 1 });
    expect(rows.slow).toMatchObject({ calls: 1, errors: 1, err_timeout: 1 });
    // Every call that ran has one latency sample; the timeout's is at least its 100 ms limit.
    expect(rows.get_forecast!.histogram.reduce((a, b) => a + b, 0)).toBe(3);
    const slowBucket = rows.slow!.histogram.findIndex((n) => n > 0);
    expect(slowBucket).toBeGreaterThanOrEqual(bucketOf(100));
  });

  it('counts a tools/call refused for scope in the chain as scope_refused, without a latency sample', async () => {
    const slug = uniqueSlug('metrics-scope');
    const spec = weatherSpec(slug);
    spec.tools.push(addCityTool('metrics-scope'));
    const server = await publishWithApiKey(spec, 'sk_metrics');
    const token = await mintToken(slug, { scope: 'mcp:read', clientId: 'cl_reader' });
    const session = await initialize(slug, token);

    const refused = await callTool(slug, token, session, 'add_city', { city: 'Oslo' });
    expect(refused.res.status).toBe(403);
    await callTool(slug, token, session, 'get_forecast', { city: 'Oslo' });

    const rows = await flushedMetrics(server.id, 2);
    expect(rows.add_city).toMatchObject({
      client_id: 'cl_reader',
      calls: 1,
      errors: 1,
      err_scope_refused: 1,
    });
    expect(rows.add_city!.histogram.every((n) => n === 0)).toBe(true);
    expect(rows.get_forecast).toMatchObject({ calls: 1, errors: 0 });
  });
});
