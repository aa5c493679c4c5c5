import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../lib/http/bounded-json';
import { api, ORIGIN, signUp } from './support/accounts';
import { sampleSpec } from './support/servers';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A body with no Content-Length (sent chunked), counting what the Worker pulled from it. */
function chunked(total: number): { stream: ReadableStream<Uint8Array>; produced: () => number } {
  const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
  let produced = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (produced >= total) return controller.close();
      controller.enqueue(chunk);
      produced += chunk.byteLength;
    },
  });
  return { stream, produced: () => produced };
}

function post(path: string, body: BodyInit, headers: Record<string, string> = {}) {
  return exports.default.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}

describe('request bodies on the auth Worker', () => {
  it('refuses a chunked body past 64 KiB with 413 without reading the rest', async () => {
    const body = chunked(64 * 1024 * 1024);
    const res = await post('/v1/auth/signup', body.stream);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(body.produced()).toBeLessThan(4 * 1024 * 1024);
  });

  it('refuses a chunked OAuth request past 64 KiB with 413', async () => {
    const body = chunked(1024 * 1024);
    const res = await post('/token', body.stream, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(413);
  });

  it('answers a deeply nested /v1 body with 400 invalid_json, not a 500', async () => {
    const alice = await signUp();
    const spec = JSON.stringify(sampleSpec()).replace(
      '"type":"object"',
      `"type":"object","x":${nested(20_000)}`,
    );
    const res = await api('/v1/servers', { as: alice, body: spec });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'invalid_json',
        message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
      },
    });
  });

  it('still accepts a spec nested within the limit', async () => {
    const alice = await signUp();
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 20; i++) schema = { type: 'object', properties: { a: schema } };
    const spec = sampleSpec();
    spec.tools[0]!.inputSchema = { type: 'object', properties: { a: schema } };
    const res = await api('/v1/servers', { as: alice, body: spec });
    expect(res.status).toBe(201);
  });

  it('answers deeply nested JSON on the OAuth endpoints with their 400 errors', async () => {
    const register = await post(
      '/register',
      `{"redirect_uris":["http://127.0.0.1:3/cb"],"client_name":${nested(5000)}}`,
    );
    expect(register.status).toBe(400);
    expect(await register.json()).toMatchObject({ error: 'invalid_client_metadata' });
    const token = await post('/token', `{"grant_type":${nested(20_000)}}`);
    expect(token.status).toBe(400);
    expect(await token.json()).toMatchObject({ error: 'invalid_request' });
  });
});
