// `moat call <server> <tool> --args '{…}'`: a real MCP client (the SDK's Client over Streamable
// HTTP) with its own token for that server's resource, obtained through the SDK's OAuth flow and
// the same loopback redirect as `moat login` (the control-plane token is useless there: its
// audience is `{ISSUER}/v1`, RFC 8707).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CliError, EXIT, usageError } from '../cli-error.ts';
import { arg, noExtraArgs, type Context } from '../context.ts';
import { authorizationServer, oauthFailure } from '../oauth/authorization-server.ts';
import { browserSignIn } from '../oauth/browser-sign-in.ts';
import { usableClient } from '../oauth/login-flow.ts';
import { startLoopback } from '../oauth/loopback.ts';
import { ServerAuthProvider } from '../oauth/server-auth-provider.ts';
import { getServer } from '../server-ref.ts';

const USAGE = 'moat call <server> <tool> [--args \'{"key":"value"}\'] [--no-browser]';

type ToolResult = {
  content?: { type: string; text?: string; [k: string]: unknown }[];
  structuredContent?: unknown;
  isError?: boolean;
};

function parseArgsJson(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw usageError(`--args is not valid JSON: ${(err as Error).message}`, `Usage: ${USAGE}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw usageError('--args must be a JSON object of the tool arguments.', `Usage: ${USAGE}`);
  }
  return value as Record<string, unknown>;
}

export async function call(ctx: Context): Promise<void> {
  const ref = arg(ctx, 0, 'server', USAGE);
  const tool = arg(ctx, 1, 'tool', USAGE);
  noExtraArgs(ctx, 2, USAGE);
  const toolArgs = parseArgsJson(ctx.opts.args);
  const server = await getServer(ctx.api, ref);
  const result = await withMcpClient(ctx, server.url, (client) =>
    client.callTool({ name: tool, arguments: toolArgs }),
  );
  const r = result as ToolResult;
  const text = (r.content ?? [])
    .map((c) => (c.type === 'text' ? (c.text ?? '') : JSON.stringify(c)))
    .join('\n');
  if (r.isError) {
    throw new CliError(`The tool ${tool} failed: ${text}`, {
      exitCode: EXIT.failure,
      hint: 'Check the arguments (`moat servers get` lists the tools) and the server’s secrets.',
      code: 'tool_error',
    });
  }
  ctx.out.result(r, () => text);
}

/** Connects an MCP client to `url`, signing in through the browser when the server asks. */
async function withMcpClient<T>(
  ctx: Context,
  url: string,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const loopback = await startLoopback();
  let authorization: { url: URL; state: string } | undefined;
  const provider = new ServerAuthProvider({
    store: ctx.store,
    apiUrl: ctx.apiUrl,
    resource: url,
    redirectUri: loopback.redirectUri,
    onAuthorize: (u, state) => (authorization = { url: u, state }),
  });
  const connect = async () => {
    const client = new Client({ name: 'moat-cli', version: '0.1.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }),
    );
    return client;
  };
  try {
    if (!provider.tokens()) {
      // Make sure the AS knows the CLI's client before sending the user to the browser.
      const metadata = await authorizationServer(ctx.apiUrl);
      await usableClient(ctx.store, ctx.apiUrl, metadata, loopback.redirectUri, url);
    }
    let client: Client;
    try {
      client = await connect();
    } catch (err) {
      if (!(err instanceof UnauthorizedError) || !authorization) throw err;
      const code = await browserSignIn(ctx.out, loopback, authorization.url, {
        state: authorization.state,
        issuer: authorization.url.origin === new URL(ctx.apiUrl).origin ? ctx.apiUrl : undefined,
        noBrowser: ctx.opts['no-browser'] ?? false,
      });
      const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
      await transport.finishAuth(code);
      client = await connect();
    }
    try {
      return await use(client);
    } finally {
      await client.close();
    }
  } catch (err) {
    throw mcpFailure(err, url);
  } finally {
    loopback.close();
  }
}

function mcpFailure(err: unknown, url: string): CliError {
  if (err instanceof CliError) return err;
  if ((err as { errorCode?: string }).errorCode)
    return oauthFailure(err, `Signing in to ${url} failed`);
  const code = (err as { code?: number }).code;
  const message = (err as Error).message.replace(/^(MCP error -?\d+: )+/, '');
  if (code === -32602 || /not found|unknown tool/i.test(message)) {
    return new CliError(message, {
      exitCode: EXIT.rejected,
      hint: 'Check the tool name and arguments; `moat servers get <server>` lists the tools.',
      code: 'invalid_params',
    });
  }
  return new CliError(`Calling ${url} failed: ${message}`, {
    exitCode: EXIT.failure,
    hint: 'Is the runner reachable? `moat servers get` shows the URL.',
    code: 'mcp_error',
  });
}
