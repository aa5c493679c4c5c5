// Docs topic — Per-user connections (issue 13; docs/connections.md is the long form): the model,
// setting up the provider, the redirect URI, and the security rules.
import { connectionCallbackUrl } from '../../../../lib/connections/urls';
import { Link } from '../../router';
import { Code, CopyButton } from '../../ui';
import { H2 } from '../heading';

const redirectUri = connectionCallbackUrl(location.origin);

const example = {
  secrets: [{ name: 'GITHUB_CLIENT_SECRET', description: 'OAuth app client secret' }],
  egress: ['api.github.com'],
  connections: [
    {
      name: 'github',
      title: 'GitHub',
      authorizationUrl: 'https://github.com/login/oauth/authorize',
      tokenUrl: 'https://github.com/login/oauth/access_token',
      scopes: ['repo'],
      clientId: 'Iv1.0123456789abcdef',
      clientSecret: 'GITHUB_CLIENT_SECRET',
    },
  ],
  tools: [
    {
      name: 'list_issues',
      description: 'Issues of a repository, as the signed-in user sees them',
      inputSchema: {
        type: 'object',
        properties: { owner: { type: 'string' }, repo: { type: 'string' } },
        required: ['owner', 'repo'],
      },
      annotations: { readOnlyHint: true },
      http: {
        method: 'GET',
        url: 'https://api.github.com/repos/{owner}/{repo}/issues',
        headers: { Authorization: 'Bearer {{connections.github.access_token}}' },
      },
    },
  ],
};

export function Connections() {
  return (
    <>
      <p>
        A secret is one credential shared by everyone who uses a server: fine for an API key, wrong
        for GitHub, Google, Slack or Notion, where each person must act as themselves, with their
        own permissions and in the provider's audit log. A <strong>connection</strong> is the other
        model: each end user links their own account at the provider, and a tool sends{' '}
        <em>that user's</em> token.
      </p>
      <H2>The model</H2>
      <ul>
        <li>
          The ServerSpec declares <code>connections</code>: a <code>name</code>, a{' '}
          <code>title</code> (users read "acts on your {'<title>'} account"), the provider's{' '}
          <code>authorizationUrl</code> and <code>tokenUrl</code> (or an <code>issuer</code> whose
          RFC 8414 / OpenID Connect metadata names them), the <code>scopes</code> to ask for, the{' '}
          <code>clientId</code> of your OAuth app there, and <code>clientSecret</code>: the name of
          a server secret holding its client secret (leave it out for a public client with PKCE).
        </li>
        <li>
          Tools put <code>{'{{connections.<name>.access_token}}'}</code> in a header or the body,
          like a secret; never in the URL. A tool may use a connection and secrets together.
        </li>
        <li>
          When someone connects an MCP client, the consent page lists the accounts the server will
          act on; after Approve they link each one at the provider, then return to their client, in
          one flow. A denied or failed provider step ends the authorization with an error: never a
          grant that silently lacks its account.
        </li>
        <li>
          A tool whose user has no working link (never linked, removed, or the provider refused to
          refresh) answers a clean error with a link to reconnect; clients that support URL
          elicitation are asked to open it instead.
        </li>
      </ul>
      <Code label="ServerSpec">{JSON.stringify(example, null, 2)}</Code>
      <p>
        Importing an OpenAPI document does this for you: an <code>oauth2</code> scheme with an{' '}
        <code>authorizationCode</code> flow (or an <code>openIdConnect</code> scheme) becomes a
        connection whose scopes are those the selected operations require, and those operations send
        its token. Only the client ID is left for you to fill in the review step.
      </p>
      <H2>Setting up the provider</H2>
      <ol>
        <li>
          Register an OAuth app (a "client") at the provider. As its redirect (callback) URI, give
          exactly:{' '}
          <span className="mcp-url">
            <code data-testid="docs-connection-redirect-uri">{redirectUri}</code>
            <CopyButton text={redirectUri} label="Copy redirect URI" />
          </span>
          It is the same for every server and connection on this platform: the flow's{' '}
          <code>state</code> says which one a callback belongs to.
        </li>
        <li>
          Put its client ID in the connection's <code>clientId</code>, and its client secret in the
          server secret the connection names (the wizard asks for it under Credentials; later, under
          the server's Secrets).
        </li>
        <li>
          Ask for the fewest scopes the tools need. For a refresh token some providers want extra
          parameters, e.g. Google's <code>authorizationParams</code>:{' '}
          <code>{'{ "access_type": "offline", "prompt": "consent" }'}</code>.
        </li>
        <li>
          Allow the API's host in <code>egress</code>. The server page's Connections panel shows,
          per connection, how many users linked their account and how many must reconnect.
        </li>
      </ol>
      <H2>Security rules</H2>
      <ul>
        <li>
          No token passthrough, either way: the MCP client's token never goes to the provider or the
          API, and the provider's token never reaches the MCP client.
        </li>
        <li>
          Each user's tokens are encrypted like secrets (an envelope per server, user and
          connection), used only by the runner, and never logged, returned by the API or written to
          the audit log; a tool call's audit row names the connection it used.
        </li>
        <li>
          The provider callback is checked like any OAuth client's: <code>state</code> bound to your
          session and the pending authorization, single use and short-lived; PKCE S256 (RFC 7636);
          the exact redirect URI; <code>iss</code> when the provider sends it (RFC 9207).
        </li>
        <li>
          Tokens refresh shortly before they expire, once per connection however many calls run at
          once. A provider that answers <code>invalid_grant</code> marks the link "reconnect
          needed".
        </li>
        <li>
          Users see and remove their links under{' '}
          <Link href="/settings">Settings → Connected accounts</Link> (the token is revoked at the
          provider when it has a revocation endpoint). Removing a member, deleting a server or
          revoking a user's access to it deletes their links to it.
        </li>
      </ul>
    </>
  );
}
