// URL elicitation for a missing per-user connection (issue 13): a 2025-11-25 client that declared
// `elicitation.url` gets `elicitation/create` in URL mode and its call proceeds once linked; on
// 2026-07-28 the answer is `input_required` with a sealed requestState, asked once; other clients
// get the tool error with the link.
import { beforeAll, describe, expect, it } from 'vitest';
import { mcpFetch, modernFetch, responseOf, textOf } from './support/mcp';
import { connectLink, linkConnection, publishConnected } from './support/connections';
import { type Seeded } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;

beforeAll(async () => {
  server = await publishConnected('conn-elicit');
  slug = server.slug;
});

type SseMessage = {
  id?: number | string;
  method?: string;
  params: { mode?: string; url?: string; elicitationId?: string };
  result: { isError?: boolean; content: { text: string }[] };
};

describe('URL elicitation for a missing connection', { timeout: 30_000 }, () => {
  it('sends a 2025-11-25 client that declared it elicitation/create in URL mode, then proceeds once linked', async () => {
    const user = 'usr_conn_elicit';
    const token = await mintToken(slug, { sub: user });
    const init = await mcpFetch(
      slug,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: { elicitation: { url: {} } },
          clientInfo: { name: 'elicit', version: '1' },
        },
      },
      { token },
    );
    const sessionId = init.headers.get('mcp-session-id')!;
    await init.text();
    await (
      await mcpFetch(
        slug,
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { token, sessionId },
      )
    ).text();

    const res = await mcpFetch(
      slug,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } },
      { token, sessionId },
    );
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    const next = async () => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('');
          if (data) return JSON.parse(data) as SseMessage;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += value;
      }
    };
    const elicit = await next();
    expect(elicit.method).toBe('elicitation/create');
    expect(elicit.params).toMatchObject({ mode: 'url', url: connectLink(server) });
    expect(typeof elicit.params.elicitationId).toBe('string');

    // The user links the account at that page, then the client reports the elicitation accepted.
    await linkConnection(server, user);
    const ack = await mcpFetch(
      slug,
      { jsonrpc: '2.0', id: elicit.id, result: { action: 'accept' } },
      { token, sessionId },
    );
    expect(ack.status).toBe(202);
    const answer = await next();
    expect(answer.id).toBe(2);
    expect(answer.result.isError).toBeFalsy();
    expect(JSON.parse(answer.result.content[0]!.text)).toMatchObject({ sub: user });
  });

  it('answers a 2026-07-28 call with input_required and a sealed requestState that proceeds once linked', async () => {
    const user = 'usr_conn_modern';
    const token = await mintToken(slug, { sub: user });
    const caps = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: { url: {} } } };
    const first = await responseOf(
      await modernFetch(
        slug,
        'tools/call',
        { name: 'whoami', arguments: {}, _meta: caps },
        { token },
      ),
    );
    expect(first.result?.resultType).toBe('input_required');
    const requests = first.result?.inputRequests as Record<
      string,
      { method: string; params: unknown }
    >;
    expect(requests.connect_github).toMatchObject({
      method: 'elicitation/create',
      params: { mode: 'url', url: connectLink(server) },
    });
    const requestState = first.result?.requestState as string;
    expect(requestState).toMatch(/^ms1\./);

    await linkConnection(server, user);
    const retry = await responseOf(
      await modernFetch(
        slug,
        'tools/call',
        {
          name: 'whoami',
          arguments: {},
          requestState,
          inputResponses: { connect_github: { action: 'accept' } },
          _meta: caps,
        },
        { token },
      ),
    );
    expect(retry.result?.resultType).toBe('complete');
    expect(JSON.parse(textOf(retry.result))).toMatchObject({ sub: user });
  });

  it('asks once: a 2026-07-28 retry before the account is linked ends in the tool error and link', async () => {
    const token = await mintToken(slug, { sub: 'usr_conn_modern_slow' });
    const caps = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: { url: {} } } };
    const call = (extra: Record<string, unknown> = {}) =>
      modernFetch(
        slug,
        'tools/call',
        { name: 'whoami', arguments: {}, _meta: caps, ...extra },
        { token },
      ).then(responseOf);
    const first = await call();
    expect(first.result?.resultType).toBe('input_required');
    const retry = await call({
      requestState: first.result?.requestState,
      inputResponses: { connect_github: { action: 'accept' } },
    });
    expect(retry.result?.resultType).toBe('complete');
    expect(retry.result?.isError).toBe(true);
    expect(textOf(retry.result)).toContain(connectLink(server));
  });

  it('answers a 2026-07-28 client without URL elicitation with the tool error and link', async () => {
    const token = await mintToken(slug, { sub: 'usr_conn_modern_plain' });
    const msg = await responseOf(
      await modernFetch(slug, 'tools/call', { name: 'whoami', arguments: {} }, { token }),
    );
    expect(msg.result?.resultType).toBe('complete');
    expect(msg.result?.isError).toBe(true);
    expect(textOf(msg.result)).toContain(connectLink(server));
  });
});
