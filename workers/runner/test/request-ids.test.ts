// A request id in use on a 2025-era session (MCP 2025-11-25 basic protocol, "Requests": the id
// MUST NOT have been used before by the requestor within the same session). A second request
// that reuses the id of one still running is refused at once with -32600 and the first call
// still completes; an id whose request has been answered (or cancelled) may be used again.
import { beforeAll, describe, expect, it } from 'vitest';
import { initialize, mcpFetch, responseOf, type JsonRpcMessage } from './support/mcp';
import { downstreamRequests, getTool, publishWeather } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let token: string;

beforeAll(async () => {
  ({ slug } = await publishWeather('ids', {
    apiKey: 'sk_test_request_ids',
    tools: [getTool('slow', '/slow?tag=request-ids&ms=700', 5000)],
  }));
  token = await mintToken(slug);
});

const call = (sessionId: string, id: number | string, name: string, args: unknown = {}) =>
  mcpFetch(
    slug,
    { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } },
    { token, sessionId },
  );

/** The response's JSON-RPC answer, or 'hang' when none came within `ms` (never a timing test). */
async function answerWithin(res: Promise<Response>, ms = 4000): Promise<JsonRpcMessage | 'hang'> {
  const answer = res.then(async (r) =>
    r.status === 200 ? responseOf(r) : ((await r.json()) as JsonRpcMessage),
  );
  const timeout = new Promise<'hang'>((ok) => setTimeout(() => ok('hang'), ms));
  return Promise.race([answer, timeout]);
}

describe('a request id reused on one session', () => {
  it('refuses a second request with the id of one still running at once, and the first completes', async () => {
    const sessionId = await initialize(slug, token);
    const order: string[] = [];
    const first = call(sessionId, 7, 'slow');
    // Wait until the slow call has reached the downstream, so the first request is in flight.
    await waitForDownstream();
    const second = call(sessionId, 7, 'get_forecast', { city: 'Twice' });

    const dup = await second;
    order.push('second');
    const answer = await answerWithin(first.finally(() => order.push('first')));
    // Before the fix the duplicate took over the first's route and the first never ended.
    expect(answer).not.toBe('hang');
    expect((answer as JsonRpcMessage).id).toBe(7);
    expect(JSON.stringify((answer as JsonRpcMessage).result)).toContain('waited');

    expect(dup.status).toBe(400);
    expect(await dup.json()).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32600, message: 'Invalid Request: request id 7 is already in use' },
    });
    expect(order).toEqual(['second', 'first']);
  });

  it('answers an id used again after its request was answered', async () => {
    const sessionId = await initialize(slug, token);
    for (const city of ['Once', 'Again']) {
      const answer = await answerWithin(call(sessionId, 'same', 'get_forecast', { city }));
      expect(answer).not.toBe('hang');
      expect(JSON.stringify((answer as JsonRpcMessage).result)).toContain(city);
    }
  });

  it('answers an id whose first use was refused before it ran', async () => {
    const sessionId = await initialize(slug, token);
    const body = {
      jsonrpc: '2.0',
      id: 11,
      method: 'tools/call',
      params: { name: 'get_forecast', arguments: { city: 'Late' } },
    };
    const refused = await mcpFetch(slug, body, {
      token,
      sessionId,
      headers: { 'mcp-protocol-version': '1999-01-01' },
    });
    expect(refused.status).toBe(400);
    await refused.text();
    const answer = await answerWithin(mcpFetch(slug, body, { token, sessionId }));
    expect(answer).not.toBe('hang');
    expect(JSON.stringify((answer as JsonRpcMessage).result)).toContain('Late');
  });

  it('treats the string "8" and the number 8 as different ids', async () => {
    const sessionId = await initialize(slug, token);
    const first = call(sessionId, 8, 'slow');
    await waitForDownstream();
    const other = await answerWithin(call(sessionId, '8', 'get_forecast', { city: 'Eight' }));
    expect(JSON.stringify((other as JsonRpcMessage).result)).toContain('Eight');
    expect(await answerWithin(first)).not.toBe('hang');
  });

  it('frees the id of a cancelled request for a new one', async () => {
    const sessionId = await initialize(slug, token);
    const first = call(sessionId, 9, 'slow');
    await waitForDownstream();
    const cancel = await mcpFetch(
      slug,
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 9 } },
      { token, sessionId },
    );
    expect(cancel.status).toBe(202);
    const again = await answerWithin(call(sessionId, 9, 'get_forecast', { city: 'Renewed' }));
    expect(again).not.toBe('hang');
    expect(JSON.stringify((again as JsonRpcMessage).result)).toContain('Renewed');
    // MCP 2025-11-25 cancellation: the cancelled request gets no answer; its stream is dropped.
    await (await first).body?.cancel();
  });
});

let seen = 0;
/** Resolves once the downstream has recorded one more slow request than before. */
async function waitForDownstream(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const log = await downstreamRequests('request-ids');
    if (log.length > seen) {
      seen = log.length;
      return;
    }
    await new Promise((ok) => setTimeout(ok, 10));
  }
  throw new Error('the slow request never reached the downstream');
}
