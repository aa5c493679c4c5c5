import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { childTraceparent, parseTraceparent, traceOf, validTracestate } from '../src/trace-context';
import { initialize, mcpFetch, modernFetch, responseOf } from './support/mcp';
import {
  downstream,
  downstreamRequests,
  publishWithApiKey,
  uniqueSlug,
  weatherSpec,
} from './support/servers';
import { mintToken } from './support/tokens';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE}-${PARENT}-01`;

describe('W3C trace context parsing', () => {
  it('accepts a version-00 traceparent and reads its fields', () => {
    expect(parseTraceparent(TRACEPARENT)).toEqual({
      traceId: TRACE,
      parentId: PARENT,
      flags: '01',
    });
  });

  it.each([
    ['uppercase hex', `00-${TRACE.toUpperCase()}-${PARENT}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['an all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE}-${PARENT}-01`],
    ['a short trace id', `00-${TRACE.slice(1)}-${PARENT}-01`],
    ['extra fields in version 00', `00-${TRACE}-${PARENT}-01-extra`],
    ['garbage', 'not a traceparent'],
  ])('ignores a traceparent with %s', (_, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('accepts a future version with more fields after the flags (§4.3)', () => {
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-01-abcd`)).toEqual({
      traceId: TRACE,
      parentId: PARENT,
      flags: '01',
    });
  });

  it('keeps a well-formed tracestate and drops a malformed one', () => {
    expect(validTracestate('rojo=00f067aa0ba902b7, congo=t61rcWkgMzE')).toBe(
      'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
    );
    expect(validTracestate('tenant@vendor=x')).toBe('tenant@vendor=x');
    expect(validTracestate('Bad Key=1')).toBeUndefined();
    expect(validTracestate('a=1,b')).toBeUndefined();
    expect(validTracestate(`a=${'x'.repeat(600)}`)).toBeUndefined();
  });

  it('prefers _meta over the headers, and starts a new trace when neither is valid', () => {
    const other = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-00`;
    const headers = new Headers({ traceparent: other });
    expect(traceOf({ traceparent: TRACEPARENT }, headers).traceId).toBe(TRACE);
    expect(traceOf({ traceparent: 'bad' }, headers).traceId).toBe('a'.repeat(32));
    const fresh = traceOf({ traceparent: 'bad' }, new Headers({ traceparent: 'worse' }));
    expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.parentId).toBeUndefined();
  });

  it('makes the downstream a child: same trace id and flags, a new parent id', () => {
    const child = parseTraceparent(
      childTraceparent({ traceId: TRACE, parentId: PARENT, flags: '01' }),
    );
    expect(child?.traceId).toBe(TRACE);
    expect(child?.flags).toBe('01');
    expect(child?.parentId).not.toBe(PARENT);
  });
});

describe('trace context through a tools/call', () => {
  let slug: string;
  let serverId: string;

  beforeAll(async () => {
    slug = uniqueSlug('trace');
    const spec = weatherSpec(slug);
    spec.tools.push({
      name: 'echo',
      description: 'Echo',
      inputSchema: { type: 'object', properties: { tag: { type: 'string' } } },
      annotations: { readOnlyHint: true },
      http: { method: 'GET', url: downstream('/echo?tag={tag}') },
    });
    serverId = (await publishWithApiKey(spec, 'sk_trace')).id;
  });

  async function auditedTraceId(tag: string): Promise<string | undefined> {
    for (let i = 0; i < 50; i++) {
      const row = await env.DB.prepare(
        `SELECT metadata FROM audit_events WHERE action = 'tool.call' AND resource = ? AND metadata LIKE ?`,
      )
        .bind(serverId, `%${tag}%`)
        .first<{ metadata: string }>();
      if (row) return (JSON.parse(row.metadata) as { trace_id?: string }).trace_id;
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  }

  it('forwards the traceparent and tracestate headers of a 2025-11-25 session as the parent, and audits the trace id', async () => {
    const token = await mintToken(slug);
    const session = await initialize(slug, token);
    const tag = `trace-h-${Date.now()}`;
    const res = await mcpFetch(
      slug,
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { tag } } },
      { token, sessionId: session, headers: { traceparent: TRACEPARENT, tracestate: 'moat=1' } },
    );
    const message = await responseOf(res);
    expect(message.result?.isError).toBeUndefined();
    const [seen] = await downstreamRequests(tag);
    const forwarded = parseTraceparent(seen?.headers.traceparent);
    expect(forwarded).toMatchObject({ traceId: TRACE, flags: '01' });
    expect(forwarded?.parentId).not.toBe(PARENT);
    expect(seen?.headers.tracestate).toBe('moat=1');
    expect(await auditedTraceId(tag)).toBe(TRACE);
  });

  it('takes the trace from params._meta of a 2026-07-28 request', async () => {
    const token = await mintToken(slug);
    const tag = `trace-m-${Date.now()}`;
    const res = await modernFetch(
      slug,
      'tools/call',
      { name: 'echo', arguments: { tag }, _meta: { traceparent: TRACEPARENT } },
      { token },
    );
    expect(res.status).toBe(200);
    const [seen] = await downstreamRequests(tag);
    expect(parseTraceparent(seen?.headers.traceparent)?.traceId).toBe(TRACE);
    expect(await auditedTraceId(tag)).toBe(TRACE);
  });

  it('ignores a malformed traceparent: the call succeeds under a new trace the downstream and audit share', async () => {
    const token = await mintToken(slug);
    const session = await initialize(slug, token);
    const tag = `trace-bad-${Date.now()}`;
    const res = await mcpFetch(
      slug,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { tag } } },
      {
        token,
        sessionId: session,
        headers: { traceparent: `00-${TRACE}-${PARENT}-1`, tracestate: 'moat=1' },
      },
    );
    expect(res.status).toBe(200);
    expect((await responseOf(res)).result?.isError).toBeUndefined();
    const [seen] = await downstreamRequests(tag);
    const forwarded = parseTraceparent(seen?.headers.traceparent);
    expect(forwarded).toBeDefined();
    expect(forwarded?.traceId).not.toBe(TRACE);
    expect(seen?.headers.tracestate).toBeUndefined();
    expect(await auditedTraceId(tag)).toBe(forwarded?.traceId);
  });
});
