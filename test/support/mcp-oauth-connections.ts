// The MCP authorization flow for a server with per-user connections (issue 13): like
// `approveInBrowser`, but when the platform sends the browser on to a connection's provider, the
// user signs in there as `providerLogin` (test/support/oauth-provider's scriptable form), and the
// provider's redirect back to `{ISSUER}/connections/callback` continues in the same browser.
import { approveInBrowser } from './mcp-oauth';
import { loginAtProvider } from './oauth-provider/login';

export type ConnectionsApproval = {
  code: string;
  consentHtml: string;
  /** The provider authorization requests the platform sent the browser to, in order. */
  providerRequests: URL[];
};

export async function approveWithConnections(
  authorizationUrl: URL,
  user: { email: string; password: string },
  redirectUrl: string,
  providerLogin: string,
): Promise<ConnectionsApproval> {
  const providerRequests: URL[] = [];
  const { code, consentHtml } = await approveInBrowser(
    authorizationUrl,
    user,
    redirectUrl,
    // The provider's sign-in, then its redirect back to the platform's callback.
    async (providerUrl) => {
      providerRequests.push(providerUrl);
      return loginAtProvider(providerUrl.toString(), providerLogin);
    },
  );
  return { code, consentHtml, providerRequests };
}
