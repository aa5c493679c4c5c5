// The playground: a real browser MCP client (the SDK's own `Client` and Streamable HTTP transport)
// on the server page. It signs in through the platform's OAuth flow (playground-oauth.ts), lists
// the tools the token may use and calls them from a form built from each input schema. It is the
// first browser client an owner meets, so it behaves like any other: CORS to the runner, the
// Origin policy (this dashboard is always allowed), 401 → discovery → consent → token.
// Loaded on demand (React.lazy) so the SDK stays out of every other page's scripts.
import {
  auth,
  Client,
  StreamableHTTPClientTransport,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/client';
import { useCallback, useEffect, useState } from 'react';
import { ErrorBox, Spinner } from '../ui';
import { ToolForm, type InputSchema } from './playground-form';
import { omitCredentials, PlaygroundOAuthProvider } from './playground-oauth';

type Connection =
  | { status: 'signed-out' }
  | { status: 'connecting' }
  | { status: 'connected'; client: Client; tools: Tool[]; protocolVersion?: string };

export default function Playground({
  serverId,
  serverUrl,
}: {
  serverId: string;
  serverUrl: string;
}) {
  const [provider] = useState(() => new PlaygroundOAuthProvider(serverId, serverUrl));
  const [conn, setConn] = useState<Connection>(() =>
    provider.tokens() ? { status: 'connecting' } : { status: 'signed-out' },
  );
  const [error, setError] = useState<unknown>();
  const [selected, setSelected] = useState<string>();
  const [calling, setCalling] = useState(false);
  const [result, setResult] = useState<{ tool: string; result: CallToolResult }>();

  const connect = useCallback(async () => {
    setConn({ status: 'connecting' });
    setError(undefined);
    const client = new Client(
      { name: 'Moat playground', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    const transport = new StreamableHTTPClientTransport(new URL(serverUrl), {
      authProvider: provider,
      fetch: omitCredentials,
    });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      setConn({
        status: 'connected',
        client,
        tools,
        protocolVersion: client.getNegotiatedProtocolVersion(),
      });
      setSelected((s) => s ?? tools[0]?.name);
    } catch (err) {
      await client.close().catch(() => undefined);
      setError(err);
      setConn({ status: 'signed-out' });
    }
  }, [provider, serverUrl]);

  useEffect(() => {
    if (conn.status === 'connecting' && provider.tokens()) void connect();
    // Only on mount: later connects are started by the buttons.
  }, []);

  useEffect(
    () => () => {
      if (conn.status === 'connected') void conn.client.close();
    },
    [conn],
  );

  const signIn = async () => {
    setError(undefined);
    try {
      const outcome = await auth(provider, { serverUrl, fetchFn: omitCredentials });
      if (outcome === 'AUTHORIZED') await connect();
      // 'REDIRECT': the browser is on its way to the consent page.
    } catch (err) {
      setError(err);
    }
  };

  const signOut = async () => {
    if (conn.status === 'connected') await conn.client.close().catch(() => undefined);
    provider.signOut();
    setResult(undefined);
    setConn({ status: 'signed-out' });
  };

  const call = async (tool: string, args: Record<string, unknown>) => {
    if (conn.status !== 'connected') return;
    setCalling(true);
    setError(undefined);
    setResult(undefined);
    try {
      const r = (await conn.client.callTool({ name: tool, arguments: args })) as CallToolResult;
      setResult({ tool, result: r });
    } catch (err) {
      setError(err);
    } finally {
      setCalling(false);
    }
  };

  const tool =
    conn.status === 'connected' ? conn.tools.find((t) => t.name === selected) : undefined;

  return (
    <div className="playground" data-testid="playground">
      {conn.status === 'signed-out' && (
        <div className="list-row">
          <p className="muted small">
            Sign in as an MCP client would: the browser registers, asks for your consent and
            receives a token for this server only.
          </p>
          <button type="button" className="btn btn-primary btn-small" onClick={() => void signIn()}>
            Sign in to the playground
          </button>
        </div>
      )}
      {conn.status === 'connecting' && <Spinner label="Connecting to the server…" />}
      <ErrorBox error={error} />
      {conn.status === 'connected' && (
        <>
          <div className="list-row">
            <span className="badge badge-ok" data-testid="playground-status">
              connected
            </span>
            <span className="muted small">
              {conn.tools.length} tool{conn.tools.length === 1 ? '' : 's'} available to this token
              {conn.protocolVersion ? ` · MCP ${conn.protocolVersion}` : ''}
            </span>
            <button type="button" className="btn btn-small" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
          {conn.tools.length === 0 ? (
            <p className="muted">The token's scopes allow none of this server's tools.</p>
          ) : (
            <div className="playground-grid">
              <ul className="list" aria-label="Playground tools">
                {conn.tools.map((t) => (
                  <li key={t.name}>
                    <button
                      type="button"
                      className={`btn btn-small${t.name === selected ? ' btn-primary' : ''}`}
                      aria-pressed={t.name === selected}
                      onClick={() => (setSelected(t.name), setResult(undefined))}
                    >
                      {t.name}
                    </button>
                    {t.description && <div className="small muted">{t.description}</div>}
                  </li>
                ))}
              </ul>
              {tool && (
                <div>
                  <ToolForm
                    key={tool.name}
                    toolName={tool.name}
                    schema={tool.inputSchema as InputSchema}
                    busy={calling}
                    onSubmit={(args) => void call(tool.name, args)}
                  />
                  {result && <ToolResult tool={result.tool} result={result.result} />}
                </div>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}

function ToolResult({ tool, result }: { tool: string; result: CallToolResult }) {
  return (
    <div
      className={`alert ${result.isError ? 'alert-error' : 'alert-info'}`}
      role="status"
      data-testid="playground-result"
    >
      <p className="small">
        {tool} {result.isError ? 'returned an error' : 'returned'}:
      </p>
      {result.content.map((block, i) =>
        block.type === 'text' ? (
          <pre key={i} className="code">
            {block.text}
          </pre>
        ) : (
          <pre key={i} className="code">
            {JSON.stringify(block, null, 2)}
          </pre>
        ),
      )}
      {result.structuredContent !== undefined && result.content.length === 0 && (
        <pre className="code">{JSON.stringify(result.structuredContent, null, 2)}</pre>
      )}
    </div>
  );
}
