// `moat help`.
export const HELP = `moat — manage Moat MCP servers from a terminal

Usage: moat <command> [options]

Signing in
  login                      Sign in with your browser (OAuth 2.1 + PKCE, loopback redirect)
  login --api-key            Sign in with an API key read from stdin or a hidden prompt
  whoami                     Show who you are signed in as
  logout                     Revoke the CLI's tokens and delete the stored credentials

Servers
  servers list               List your organization's servers
  servers get <server>       Show a server: URL, tools, secrets
  servers create -f spec.json
                             Create a server from a ServerSpec and publish version 1
  servers delete <server>    Delete a server (asks first; --yes to skip)
  preview --openapi <file> | --prompt "…" | -f <spec.json> [-o out.json]
                             Draft a ServerSpec; prints it, or writes it with -o.
                             --name, --slug; OpenAPI: --base-url URL, --operations id,id
  build <server> [--follow] [-f spec.json] [--test-writes]
                             Build: test each tool, publish, smoke-test; --follow streams the log
  secrets set <server> <NAME>
                             Set a secret; the value is read from stdin or a hidden prompt
  secrets list <server>      Show which secrets are set
  alerts <server>            Show the alert webhook and when Moat calls it
  alerts set <server> <url>  Set (or change) the alert webhook; prints a new signing secret once.
                             \`-\` reads the URL from stdin (for a URL that carries a token)
  alerts remove <server>     Remove the alert webhook (asks first; --yes to skip)
  call <server> <tool> [--args '{"k":"v"}']
                             Call a tool as an MCP client (signs in to that server in the browser
                             the first time; its tokens are kept and refreshed)
  eject <server> -o <dir>    Write the server as a standalone Worker project (wrangler deploy)
  snippets <server>          Install snippets for Claude, Claude Code, Cursor, VS Code, Inspector
    [--toolset <name>]       … for one of the server's toolsets (its own URL)

<server> is a slug or a server id (srv_…).

Options
  --api-url <url>            Platform URL (default $MOAT_API_URL or http://127.0.0.1:8787)
  --json                     Machine-readable output on stdout; errors as JSON on stderr
  --no-browser               Print the sign-in URL instead of opening a browser
  -h, --help                 This help
  -v, --version              The moat version

Exit codes: 0 ok, 1 failure, 2 usage, 3 not signed in / sign-in refused, 4 not found,
5 refused by the platform (validation, conflict, permission), 6 platform unreachable,
130 interrupted. Credentials: $MOAT_CONFIG_DIR, else $XDG_CONFIG_HOME/moat, else ~/.config/moat.
`;
