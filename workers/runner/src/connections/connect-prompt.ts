// What a tool call answers when it needs a connection the user has not linked (issue 13). A
// client that declared URL-mode elicitation (`capabilities.elicitation.url`, MCP 2025-11-25
// client/elicitation §URL mode) is asked to open the link: the SDK's `inputRequired` with an
// `elicitUrl` request is an `input_required` result on 2026-07-28 (basic/patterns/mrtr) and, on a
// 2025-11-25 session, the SDK's shim sends `elicitation/create` with `mode: "url"` and calls the
// handler again. The round carries a sealed requestState (request-state.ts) naming the connection,
// so the retried call proceeds once it is linked and otherwise ends, once, in the tool error
// with the link that every other client gets.
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { errorResult } from '../tools/response-content';
import { neededMessage, type ConnectionNeeded } from './connection-tokens';

/** The requestState payload of a connect round. */
export type ConnectRound = { connect: string };

export function isConnectRound(state: unknown): state is ConnectRound {
  return typeof (state as ConnectRound | undefined)?.connect === 'string';
}

function declaresUrlElicitation(server: Server, ctx: ServerContext, modern: boolean): boolean {
  const caps: ClientCapabilities | undefined = modern
    ? ((ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[
        CLIENT_CAPABILITIES_META_KEY
      ] as ClientCapabilities | undefined)
    : server.getClientCapabilities();
  return caps?.elicitation?.url !== undefined;
}

export async function connectAnswer(
  server: Server,
  ctx: ServerContext,
  needed: ConnectionNeeded,
  modern: boolean,
  sealState: (payload: ConnectRound) => Promise<string>,
): Promise<CallToolResult | InputRequiredResult> {
  const asked = ctx.mcpReq.requestState();
  const already = isConnectRound(asked) && asked.connect === needed.name;
  if (!needed.url || already || !declaresUrlElicitation(server, ctx, modern)) {
    return errorResult(neededMessage(needed));
  }
  const verb = needed.reason === 'missing' ? 'Connect' : 'Reconnect';
  return inputRequired({
    inputRequests: {
      [`connect_${needed.name}`]: inputRequired.elicitUrl({
        message: `${verb} your ${needed.title} account so this tool can act as you.`,
        url: needed.url,
      }),
    },
    requestState: await sealState({ connect: needed.name }),
  });
}
