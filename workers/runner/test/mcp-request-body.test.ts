import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../lib/http/bounded-json';
import { MAX_BODY_BYTES, topLevelId } from '../src/mcp-request-body';
import { mcpFetch, mcpUrl } from './support/mcp';
import { publishServer, setSecret, uniqueSlug, weatherSpec } from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let token: string;

beforeAll(async () => {
  slug = uniqueSlug('bodies');
  const server = await publishServer(weatherSpec(slug));
  await setSecret(server, 'API_KEY', 'sk_bodies_secret');
  token = await mintToken(slug);
});

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

function post(body: BodyInit, headers: Record<string, string> = {}) {
  return exports.default.fetch(mcpUrl(slug), {
    method: 'POST',
    headers: {
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...headers,
    },
    body,
    duplex: 'half',
  } as RequestInit);
}

describe('MCP request bodies', () => {
  it('stops reading a chunked body past 1 MiB and answers 413 with -32600', async () => {
    const chunk = new TextEncoder().encode(`"${'x'.repeat(64 * 1024 - 2)}"`);
    let produced = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced >= 64 * MAX_BODY_BYTES) return controller.close();
        controller.enqueue(chunk);
        produced += chunk.byteLength;
      },
    });
    const res = await post(stream);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32600, message: 'Invalid Request: the body is larger than 1 MiB' },
      id: null,
    });
    // The runner cancelled the stream: far less than the 64 MiB on offer was ever produced.
    expect(produced).toBeLessThan(4 * MAX_BODY_BYTES);
  });

  it('refuses a declared Content-Length over 1 MiB with 413', async () => {
    const res = await post('x'.repeat(MAX_BODY_BYTES + 1));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: -32600 }, id: null });
  });

  it('answers deeply nested JSON with 400 -32600 and the request id, not a 500', async () => {
    const body = `{"jsonrpc":"2.0","id":"deep-1","method":"initialize","params":${nested(100_000)}}`;
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      error: {
        code: -32600,
        message: `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      },
      id: 'deep-1',
    });
  });

  it('accepts a request nested up to the limit', async () => {
    const res = await mcpFetch(
      slug,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          // `experimental` values are objects (MCP schema); the arrays nest inside one.
          capabilities: {
            experimental: { x: { deep: JSON.parse(nested(MAX_JSON_DEPTH - 5)) } },
          },
          clientInfo: { name: 'test', version: '1' },
        },
      },
      { token },
    );
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it('answers text that is not JSON with 400 -32700 and a null id', async () => {
    const res = await post('{"jsonrpc":"2.0","id":5,');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error: Invalid JSON' },
      id: null,
    });
  });
});

describe('topLevelId', () => {
  it('reads the id after or before nested members, and null when there is none', () => {
    expect(topLevelId(`{"params":{"a":"}]","b":${nested(500)}},"id":7}`)).toBe(7);
    expect(topLevelId(`{"id":"x\\"y","params":${nested(500)}}`)).toBe('x"y');
    expect(topLevelId(`{"params":${nested(500)}}`)).toBeNull();
    expect(topLevelId(nested(500))).toBeNull();
    expect(topLevelId(`{"id":{"a":1}}`)).toBeNull();
  });
});
