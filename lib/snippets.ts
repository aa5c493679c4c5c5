// Install snippets for a hosted MCP server URL, one per client. Shared by the API (build results),
// the dashboard and the CLI so every surface shows the same instructions.
export type Snippet = {
  id: 'claude' | 'claude-code' | 'cursor' | 'vscode' | 'inspector';
  client: string;
  /** One sentence: where to put it or what to do with it. */
  how: string;
  /** The text to copy. */
  code: string;
  /** A one-click install link, where the client has one. */
  link?: string;
};

function base64(s: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(s)));
}

export function installSnippets(name: string, slug: string, url: string): Snippet[] {
  const cursorConfig = { url };
  return [
    {
      id: 'claude',
      client: 'Claude (desktop and web)',
      how: 'Settings → Connectors → Add custom connector, paste the URL, then Connect and approve the consent screen.',
      code: url,
    },
    {
      id: 'claude-code',
      client: 'Claude Code',
      how: 'Run in a terminal, then /mcp inside Claude Code to sign in.',
      code: `claude mcp add --transport http ${slug} ${url}`,
    },
    {
      id: 'cursor',
      client: 'Cursor',
      how: 'Add to ~/.cursor/mcp.json (or .cursor/mcp.json in a project), or use the install link.',
      code: JSON.stringify({ mcpServers: { [slug]: cursorConfig } }, null, 2),
      link: `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(slug)}&config=${encodeURIComponent(base64(JSON.stringify(cursorConfig)))}`,
    },
    {
      id: 'vscode',
      client: 'VS Code',
      how: 'Add to .vscode/mcp.json (or run “MCP: Add Server…”), then Start the server and sign in.',
      code: JSON.stringify({ servers: { [slug]: { type: 'http', url } } }, null, 2),
      link: `vscode:mcp/install?${encodeURIComponent(JSON.stringify({ name: name || slug, type: 'http', url }))}`,
    },
    {
      id: 'inspector',
      client: 'MCP Inspector',
      how: 'Starts the Inspector with this server; choose “Open Auth Settings” → Quick OAuth Flow to sign in.',
      code: `npx @modelcontextprotocol/inspector --transport http --server-url ${url}`,
    },
  ];
}

/** A toolset's MCP URL (issue 14): `{RUNNER_ORIGIN}/{slug}/{toolset}/mcp` beside the server's. */
export function toolsetUrl(serverUrl: string, toolset: string): string {
  return `${serverUrl.replace(/\/mcp\/?$/, '')}/${toolset}/mcp`;
}

/**
 * The snippets for one toolset: its own URL, and its own entry name (`{slug}-{toolset}`) so the
 * server and several of its toolsets can sit side by side in one client's configuration.
 */
export function toolsetSnippets(
  server: { name: string; slug: string; url: string },
  toolset: { name: string; title?: string | undefined },
): Snippet[] {
  return installSnippets(
    `${server.name} · ${toolset.title ?? toolset.name}`,
    `${server.slug}-${toolset.name}`,
    toolsetUrl(server.url, toolset.name),
  );
}
