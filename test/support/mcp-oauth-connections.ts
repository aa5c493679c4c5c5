// The MCP authorization flow for a server with per-user connections (issue 13): like
// `approveInBrowser`, but when the platform sends the browser on to a connection's provider, the
// user signs in there as `providerLogin` (test/support/oauth-provider's scriptable form), and the
// provider's redirect back to `{ISSUER}/connections/callback` continues in the same browser.
import { Browser } from './mcp-oauth';
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
  const browser = new Browser();
  const platformOrigin = authorizationUrl.origin;
  const providerRequests: URL[] = [];
  let url = authorizationUrl.toString();
  let res = await browser.fetch(url);
  let consentHtml = '';
  for (let hops = 0; hops < 20; hops++) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.toString().startsWith(redirectUrl)) {
        const code = next.searchParams.get('code');
        if (!code) throw new Error(`redirected without a code: ${next}`);
        return { code, consentHtml, providerRequests };
      }
      if (next.origin !== platformOrigin) {
        // The provider's sign-in, then its redirect back to the platform's callback.
        providerRequests.push(next);
        url = await loginAtProvider(next.toString(), providerLogin);
      } else {
        url = next.toString();
      }
      res = await browser.fetch(url);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${html.slice(0, 500)}`);
    if (html.includes('action="/consent"')) {
      consentHtml = html;
      res = await browser.submit(url, html, '/consent', { decision: 'approve' });
    } else if (html.includes('action="/login"')) {
      res = await browser.submit(url, html, '/login', {
        email: user.email,
        password: user.password,
      });
    } else {
      throw new Error(`unexpected page at ${url}:\n${html.slice(0, 800)}`);
    }
  }
  throw new Error('the authorization flow did not end');
}
