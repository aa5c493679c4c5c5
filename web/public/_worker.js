// Cloudflare Pages "advanced mode" worker (docs/deploy.md): the dashboard's static files come from
// Pages, and every path the auth Worker owns is proxied to it, so the dashboard, the login and
// consent pages and the /v1 API share one origin and the session cookie stays first-party.
// Bind the auth Worker as the service binding AUTH (preferred) or set AUTH_ORIGIN to its URL.
// The auth Worker's ISSUER must be this Pages origin (its CSRF check compares Origin to it).
// Set RUNNER_ORIGIN too, so the status page may probe the runner and the playground may call
// hosted servers (CSP connect-src).
const WORKER_PATHS =
  /^\/(?:v1|api|\.well-known)(?:\/|$)|^\/(?:authorize|token|register|revoke|introspect|login|logout|signup|consent|invite)(?:\/|$)/;

// The dashboard's headers, as lib/http/dashboard-headers.ts sets them when the auth Worker serves
// the files (this file is copied verbatim, so it cannot import it; an e2e test keeps both equal).
function originOf(value) {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function dashboardHeaders(runnerOrigin) {
  const runner = originOf(runnerOrigin);
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self'${runner ? ` ${runner}` : ''}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (!WORKER_PATHS.test(url.pathname)) {
      const asset = await env.ASSETS.fetch(request);
      const res = new Response(asset.body, asset);
      for (const [k, v] of Object.entries(dashboardHeaders(env.RUNNER_ORIGIN)))
        res.headers.set(k, v);
      return res;
    }
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
