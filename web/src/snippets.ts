// Install snippets for an MCP URL, one per client (wizard step 3 and server detail). The one source
// is lib/snippets.ts, shared with the API (build results) and the CLI.
export { installSnippets, toolsetSnippets, toolsetUrl, type Snippet } from '../../lib/snippets';
