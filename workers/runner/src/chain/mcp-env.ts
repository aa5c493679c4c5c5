// What each link of the MCP request chain (index.ts) leaves for the next ones.
import type { Principal } from '../bearer';
import type { JsonRpcId } from '../json-rpc-error';
import type { HostedServer } from '../server-cache';

/** The one JSON-RPC message of a POST (batches are refused), as far as the chain reads it. */
export type McpMessage = {
  body: unknown;
  /** The request's id, for errors about it; null for a notification or a response. */
  id: JsonRpcId;
  method: string | undefined;
};

export type McpEnv = {
  Bindings: Env;
  Variables: {
    server: HostedServer;
    principal: Principal;
    /** Set for POSTs only: GET and DELETE carry no message. */
    message: McpMessage | undefined;
  };
};
