// An ejected Moat MCP server: the platform's runner Worker, serving one baked ServerSpec, with
// its own Durable Objects (one McpSession per MCP session) and tokens from the platform's AS.
import runner, {
  McpSession as RunnerSession,
  PrincipalSessions as RunnerPrincipalSessions,
} from '../workers/runner/src/index';
import { runnerEnv } from './platform-bindings';

export default {
  fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext) {
    return runner.fetch(request, runnerEnv(env), ctx);
  },
} satisfies ExportedHandler<Record<string, unknown>>;

export class McpSession extends RunnerSession {
  constructor(ctx: DurableObjectState, env: Record<string, unknown>) {
    super(ctx, runnerEnv(env));
  }
}

/** The live sessions of one (server, sub, client_id), to bound their number. */
export class PrincipalSessions extends RunnerPrincipalSessions {
  constructor(ctx: DurableObjectState, env: Record<string, unknown>) {
    super(ctx, runnerEnv(env));
  }
}
