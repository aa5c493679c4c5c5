// The runner's one wire error for MCP failures: a JSON-RPC 2.0 error response (§5.1) with the HTTP
// status the Streamable HTTP transport uses. Thrown anywhere in the chain, it renders itself
// (`getResponse()`, which Hono's error handling calls); `id` is the request's whenever it is known
// (JSON-RPC 2.0 §5: null only when it could not be read).
export type JsonRpcId = string | number | null;

/** JSON-RPC 2.0 §5.1 codes, MCP's -32001/-32003/-32020 and the transport's -32000. */
export type JsonRpcErrorCode =
  | -32700 // Parse error
  | -32600 // Invalid Request
  | -32601 // Method not found
  | -32602 // Invalid params
  | -32603 // Internal error
  | -32000 // transport-level: bad header, method, content type, unavailable
  | -32001 // session not found (MCP 2025-11-25 transports §Session Management)
  | -32003 // forbidden: insufficient scope
  | -32020; // MCP 2026-07-28: Mcp-Method/Mcp-Name header does not match the body

type Options = { id?: JsonRpcId; headers?: HeadersInit };

export class JsonRpcError extends Error {
  readonly status: number;
  readonly code: JsonRpcErrorCode;
  readonly options: Options;

  constructor(status: number, code: JsonRpcErrorCode, message: string, options: Options = {}) {
    super(message);
    this.name = 'JsonRpcError';
    this.status = status;
    this.code = code;
    this.options = options;
  }

  /** The same error answering a request whose id is now known. */
  withId(id: JsonRpcId): JsonRpcError {
    return new JsonRpcError(this.status, this.code, this.message, { ...this.options, id });
  }

  getResponse(): Response {
    return new Response(
      JSON.stringify({
        jsonrpc: '2.0',
        error: { code: this.code, message: this.message },
        id: this.options.id ?? null,
      }),
      {
        status: this.status,
        headers: { 'content-type': 'application/json', ...this.options.headers },
      },
    );
  }
}

export const internalError = (id: JsonRpcId = null) =>
  new JsonRpcError(500, -32603, 'Internal error', { id });

export const sessionNotFound = (id: JsonRpcId = null) =>
  new JsonRpcError(404, -32001, 'Session not found', { id });
