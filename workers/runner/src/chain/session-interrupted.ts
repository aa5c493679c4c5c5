// A session's Durable Object can be reset in the middle of a request (an eviction, a deploy, an
// exceeded limit). Its state is in Durable Object storage and survives, so the next request is
// served; the request in flight must still get an answer, not a stream that ends without one
// (the client would wait for that id forever): a JSON-RPC error for its id (JSON-RPC 2.0 §5),
// -32000 like the transport's other "retry" answers. The tool may or may not have run.
import { JsonRpcError, type JsonRpcId } from '../json-rpc-error';

const MESSAGE =
  'The session was interrupted before the call finished (it may or may not have run); retry it.';

/** The answer when the Durable Object fails before it answered at all: 503, retry shortly. */
export function sessionInterrupted(id: JsonRpcId): JsonRpcError {
  return new JsonRpcError(503, -32000, MESSAGE, { id, headers: { 'retry-after': '1' } });
}

/**
 * The SSE event that ends a stream the Durable Object broke off, answering request `id`; none for
 * a notification (nothing waits for it). The leading blank line ends any event cut in half.
 */
export function interruptedEvent(id: JsonRpcId): Uint8Array | undefined {
  if (id === null) return undefined;
  const error = { jsonrpc: '2.0', id, error: { code: -32000, message: MESSAGE } };
  return new TextEncoder().encode(`\n\nevent: message\ndata: ${JSON.stringify(error)}\n\n`);
}
