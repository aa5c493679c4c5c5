// The minimal Worker around @cloudflare/workers-oauth-provider that `npm run bench:peers` runs on
// the same workerd as Moat: dynamic registration, /authorize approving at once (the bench has no
// login to show), /token, and one protected API route making the same downstream call as Moat's
// tool (GET the local API with a secret header) — the WOP equivalent of an authenticated tools/call
// — and one answering at once (/api/list), the equivalent of an authenticated tools/list.
import { OAuthProvider } from '@cloudflare/workers-oauth-provider';

const apiHandler = {
  async fetch(request, env) {
    // The authenticated answer with no downstream call (the tools/list phase's equivalent).
    if (new URL(request.url).pathname === '/api/list')
      return Response.json({ tools: [{ name: 'get_forecast' }] });
    const res = await fetch(`${env.DOWNSTREAM}/forecast?city=Oslo`, {
      headers: { 'X-Api-Key': env.API_KEY },
    });
    return new Response(await res.text(), {
      status: res.ok ? 200 : 502,
      headers: { 'content-type': 'application/json' },
    });
  },
};

const defaultHandler = {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/authorize') {
      const info = await env.OAUTH_PROVIDER.parseAuthRequest(request);
      const { redirectTo } = await env.OAUTH_PROVIDER.completeAuthorization({
        request: info,
        userId: 'bench',
        metadata: {},
        scope: info.scope,
        props: { userId: 'bench' },
        // One grant per refresh chain: its default revokes the user's earlier grants to the client.
        revokeExistingGrants: false,
      });
      return new Response(null, { status: 302, headers: { location: redirectTo } });
    }
    if (url.pathname === '/ping') return new Response('ok');
    return new Response('not found', { status: 404 });
  },
};

const provider = (resource) =>
  new OAuthProvider({
    apiRoute: '/api/',
    apiHandler,
    defaultHandler,
    authorizeEndpoint: '/authorize',
    tokenEndpoint: '/token',
    clientRegistrationEndpoint: '/register',
    scopesSupported: ['mcp:read'],
    // This version binds every token to one resource (http only on a loopback host): the API's URL.
    resourceMetadata: { resource },
    // Its default logs every 401 (the invalid-token phase); the bench counts statuses itself.
    onError: () => {},
  });

let instance;
export default {
  fetch(request, env, ctx) {
    instance ??= provider(env.RESOURCE);
    return instance.fetch(request, env, ctx);
  },
};
