// A JSON-RPC 2.0 error response (§5.1) with the HTTP status the Streamable HTTP transport uses.
export type JsonRpcId = string | number | null;

export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: HeadersInit = {},
  id: JsonRpcId = null,
): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
