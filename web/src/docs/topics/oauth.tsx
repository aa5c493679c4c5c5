// Docs topic — The OAuth 2.1 flow, shown with transcripts requested live from this platform.
import { Code } from '../../ui';
import { H2 } from '../heading';
import { LiveTranscript } from '../oauth-transcript';

const origin = location.origin;

export function OAuthFlow() {
  return (
    <>
      <p>
        These transcripts are requested live from this platform ({origin}) as the page loads: they
        are the responses your MCP client receives.
      </p>
      <H2>1. The server challenges an anonymous request</H2>
      <p>
        A request without a token gets <code>401</code> with{' '}
        <code>
          WWW-Authenticate: Bearer
          resource_metadata="…/.well-known/oauth-protected-resource/&lt;slug&gt;/mcp"
        </code>{' '}
        (RFC 9728 §5.1), naming the document that names the authorization server.
      </p>
      <H2>2. Authorization server metadata (RFC 8414)</H2>
      <LiveTranscript path="/.well-known/oauth-authorization-server" label="AS metadata" />
      <H2>3. Signing keys</H2>
      <LiveTranscript path="/.well-known/jwks.json" label="JWKS" />
      <H2>4. Register the client (RFC 7591)</H2>
      <Code label="register">{`$ curl -s ${origin}/register -H 'content-type: application/json' \\
  -d '{"client_name":"My agent","redirect_uris":["http://127.0.0.1:33418/callback"],"token_endpoint_auth_method":"none"}'`}</Code>
      <H2>5. Authorize with PKCE (S256) and a resource indicator (RFC 8707)</H2>
      <Code label="authorize">{`${origin}/authorize?response_type=code&client_id=cl_…&redirect_uri=http%3A%2F%2F127.0.0.1%3A33418%2Fcallback
  &code_challenge=<BASE64URL(SHA256(verifier))>&code_challenge_method=S256&state=<random>
  &scope=mcp%3Aread&resource=<the server's MCP URL>`}</Code>
      <p>
        The user signs in on <code>/login</code>, approves on <code>/consent</code>, and the browser
        returns to the redirect URI with <code>code</code>, <code>state</code> and <code>iss</code>{' '}
        (RFC 9207).
      </p>
      <H2>6. Exchange the code</H2>
      <Code label="token">{`$ curl -s ${origin}/token -d grant_type=authorization_code -d code=<code> \\
  -d redirect_uri=http://127.0.0.1:33418/callback -d client_id=cl_… -d code_verifier=<verifier> \\
  -d resource=<the server's MCP URL>`}</Code>
      <p>
        The answer is an RS256 JWT (<code>typ: at+jwt</code>, RFC 9068) whose <code>aud</code> is
        exactly the server's URL, plus a refresh token that rotates on every use. The runner checks
        the JWT against the JWKS above without calling back to the authorization server. It,{' '}
        <code>/introspect</code> and the <code>/v1</code> API apply one rule: RS256 and{' '}
        <code>at+jwt</code> only, <code>iss</code>, exactly one <code>aud</code>, the RFC 9068
        claims plus <code>server_id</code>, and 30 s of clock leeway on <code>exp</code>,{' '}
        <code>nbf</code> and <code>iat</code>.
      </p>
      <H2>7. Servers that act on your own accounts (connections)</H2>
      <p>
        A server that declares <code>connections</code> (GitHub, Google, Notion…) lists them on the
        consent page ("acts on your GitHub account with: repo"). After you allow it, Moat sends you
        to each provider you have not linked yet, then back to the app, in one flow. Register{' '}
        <code>{origin}/connections/callback</code> as the redirect URI at the provider. Your
        provider token stays encrypted in Moat and is never given to the app; a denied provider step
        ends the authorization with <code>access_denied</code> and no code. Manage links with{' '}
        <code>GET</code>/<code>DELETE /v1/me/connections</code>; relink one at{' '}
        <code>{origin}/connections/&lt;server id&gt;/&lt;name&gt;/connect</code>.
      </p>
    </>
  );
}
