// A small raw MCP Streamable HTTP client over the runner's fetch handler, so tests can assert
// HTTP status and headers as well as JSON-RPC results.
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';

export const PROTOCOL_VERSION = '2025-11-25';

export function mcpUrl(slug: string): string {
  return `${env.RUNNER_ORIGIN}/${slug}/mcp`;
}

/** An initialize request as a client's first POST sends it. */
export const INITIALIZE_REQUEST = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 't', version: '1' },
  },
};

export type RpcOptions = {
  token?: string;
  sessionId?: string;
  headers?: Record<string, string>;
  method?: string;
};

export function mcpFetch(slug: string, body: unknown, o: RpcOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
    ...(o.sessionId
      ? { 'mcp-session-id': o.sessionId, 'mcp-protocol-version': PROTOCOL_VERSION }
      : {}),
    ...o.headers,
  };
  return exports.default.fetch(mcpUrl(slug), {
    method: o.method ?? 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export type JsonRpcMessage = {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
};

/** Every JSON-RPC message of an SSE (or JSON) response body, in order. */
export async function messagesOf(res: Response): Promise<JsonRpcMessage[]> {
  const text = await res.text();
  if ((res.headers.get('content-type') ?? '').includes('application/json'))
    return [JSON.parse(text)];
  return text
    .split('\n\n')
    .map((event) =>
      event
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join(''),
    )
    .filter((d) => d.length > 0)
    .map((d) => JSON.parse(d) as JsonRpcMessage);
}

/** The text of a tool result's content, one line a block. */
export const textOf = (result: Record<string, unknown> | undefined) =>
  ((result?.content as { text: string }[] | undefined) ?? []).map((c) => c.text).join('\n');

export async function responseOf(res: Response): Promise<JsonRpcMessage> {
  const all = await messagesOf(res);
  const last = all.findLast((m) => m.id !== undefined && (m.result || m.error));
  if (!last) throw new Error(`no JSON-RPC response in ${JSON.stringify(all)}`);
  return last;
}

let nextId = 1;

export async function initialize(slug: string, token: string): Promise<string> {
  const res = await mcpFetch(
    slug,
    {
      jsonrpc: '2.0',
      id: nextId++,
      method: 'initialize',
      params: {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'test', version: '1' },
      },
    },
    { token },
  );
  if (res.status !== 200) throw new Error(`initialize answered ${res.status}: ${await res.text()}`);
  const sessionId = res.headers.get('mcp-session-id');
  await res.text();
  if (!sessionId) throw new Error('no Mcp-Session-Id');
  const ack = await mcpFetch(
    slug,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { token, sessionId },
  );
  if (ack.status !== 202) throw new Error(`initialized answered ${ack.status}`);
  return sessionId;
}

export async function rpc(
  slug: string,
  token: string,
  sessionId: string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<{ res: Response; message: JsonRpcMessage }> {
  const res = await mcpFetch(
    slug,
    { jsonrpc: '2.0', id: nextId++, method, params },
    { token, sessionId },
  );
  const message =
    res.status === 200
      ? await responseOf(res.clone())
      : ((await res.clone().json()) as JsonRpcMessage);
  return { res, message };
}

export function callTool(
  slug: string,
  token: string,
  sessionId: string,
  name: string,
  args: unknown,
) {
  return rpc(slug, token, sessionId, 'tools/call', { name, arguments: args });
}

export const MODERN_VERSION = '2026-07-28';

/**
 * One MCP 2026-07-28 request: no session, the `_meta` envelope in the body and the
 * MCP-Protocol-Version, Mcp-Method and Mcp-Name headers beside it (2026-07-28 transports).
 */
export function modernFetch(
  slug: string,
  method: string,
  params: Record<string, unknown> = {},
  o: RpcOptions & { id?: number | string } = {},
): Promise<Response> {
  const name = typeof params.name === 'string' ? params.name : undefined;
  const meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
    'io.modelcontextprotocol/clientInfo': { name: 'test', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {},
    ...(params._meta as Record<string, unknown> | undefined),
  };
  return mcpFetch(
    slug,
    { jsonrpc: '2.0', id: o.id ?? nextId++, method, params: { ...params, _meta: meta } },
    {
      ...o,
      headers: {
        'mcp-protocol-version': MODERN_VERSION,
        'mcp-method': method,
        ...(name !== undefined ? { 'mcp-name': name } : {}),
        ...o.headers,
      },
    },
  );
}
