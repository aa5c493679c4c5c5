// The McpSession's Streamable HTTP transport: the SDK's, plus a rule on request ids. MCP
// 2025-11-25 basic protocol "Requests": the request ID MUST NOT have been previously used by the
// requestor within the same session. The SDK routes an answer to the POST stream by id alone, so a
// second request reusing the id of one still running took over the first one's route: one answer
// went to the wrong stream and the other stream never ended (the client waited forever). Here a
// request whose id is still running is refused at once with -32600 (JSON-RPC 2.0 §5.1), with its
// id, so a client that reused the id sees its second request fail rather than hang.
//
// An id is running from its POST until its answer is sent, or until the client cancels it (MCP
// 2025-11-25 cancellation: no answer follows a cancelled request). Reusing an id once its request
// has ended is the client's breach of that MUST, but a harmless one — nothing else can be routed
// to it — so it is answered, not refused (docs/decisions.md 2026-12-03 "A request id in use").
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  WebStandardStreamableHTTPServerTransport,
  type HandleRequestOptions,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/server';
import { JsonRpcError } from './json-rpc-error';

export const requestIdInUse = (id: RequestId) =>
  new JsonRpcError(
    400,
    -32600,
    `Invalid Request: request id ${JSON.stringify(id)} is already in use`,
    {
      id,
    },
  );

export class SessionTransport extends WebStandardStreamableHTTPServerTransport {
  /** Ids of requests still running, each with the POST that claimed it. */
  readonly #running = new Map<RequestId, object>();

  override async handleRequest(req: Request, options?: HandleRequestOptions): Promise<Response> {
    const message = options?.parsedBody as JSONRPCMessage | undefined;
    if (req.method !== 'POST' || message === undefined) return super.handleRequest(req, options);
    if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
      const requestId = (message.params as { requestId?: RequestId } | undefined)?.requestId;
      if (requestId !== undefined) this.#running.delete(requestId);
    }
    if (!isJSONRPCRequest(message)) return super.handleRequest(req, options);

    const { id } = message;
    if (this.#running.has(id)) return requestIdInUse(id).getResponse();
    const claim = {};
    this.#running.set(id, claim);
    let res: Response | undefined;
    try {
      res = await super.handleRequest(req, options);
      return res;
    } finally {
      // Refused before it ran (bad header, scope challenge…): no answer will be sent for it.
      if (res?.status !== 200 && this.#running.get(id) === claim) this.#running.delete(id);
    }
  }

  override async send(
    message: JSONRPCMessage,
    options?: { relatedRequestId?: RequestId },
  ): Promise<void> {
    try {
      await super.send(message, options);
    } finally {
      // Freed only once the answer is routed, so a new request cannot take its stream first.
      if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
        if (message.id !== undefined) this.#running.delete(message.id);
      }
    }
  }
}
