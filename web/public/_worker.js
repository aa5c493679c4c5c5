// Cloudflare Pages "advanced mode" worker (docs/deploy.md): the dashboard's static files come from
// Pages, and every path the auth Worker owns is proxied to it, so the dashboard, the login and
// consent pages and the /v1 API share one origin and the session cookie stays first-party.
// Bind the auth Worker as the service binding AUTH (preferred) or set AUTH_ORIGIN to its URL.
// The auth Worker's ISSUER must be this Pages origin (its CSRF check compares Origin to it).
const WORKER_PATHS =
  /^\/(?:v1|api|\.well-known)(?:\/|$)|^\/(?:authorize|token|register|revoke|introspect|login|logout|signup|consent|invite)(?:\/|$)/;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (!WORKER_PATHS.test(url.pathname)) return env.ASSETS.fetch(request);
    if (env.AUTH) return env.AUTH.fetch(request);
    if (!env.AUTH_ORIGIN) {
      return new Response('{"error":{"code":"misconfigured","message":"AUTH is not bound."}}', {
        status: 502,
        headers: { 'content-type': 'application/json' },
      });
    }
    const upstream = new URL(url.pathname + url.search, env.AUTH_ORIGIN);
    // redirect: 'manual' keeps the auth Worker's redirects (login → consent → client) visible
    // to the browser instead of following them here.
    return fetch(new Request(upstream, request), { redirect: 'manual' });
  },
};
