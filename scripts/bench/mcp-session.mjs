// Opening an MCP session the way a client does (MCP 2025-11-25 lifecycle: `initialize`, then
// `notifications/initialized` on the new session), for every bench that drives the runner
// (soak, heap, peers, runner-fixture).
export const PROTOCOL_VERSION = '2025-11-25';

/** The headers of a Streamable HTTP POST, with the session's once it is open. */
export const mcpHeaders = (token, session) => ({
  authorization: `Bearer ${token}`,
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
  ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': PROTOCOL_VERSION } : {}),
});

/** initialize → notifications/initialized; the new session's id. */
export async function openMcpSession(url, token, clientName) {
  const post = (body, session) =>
    fetch(url, { method: 'POST', headers: mcpHeaders(token, session), body: JSON.stringify(body) });
  const init = await post({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: clientName, version: '1' },
    },
  });
  if (init.status !== 200) throw new Error(`initialize: ${init.status} ${await init.text()}`);
  await init.arrayBuffer();
  const session = init.headers.get('mcp-session-id');
  await (
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session)
  ).arrayBuffer();
  return session;
}
