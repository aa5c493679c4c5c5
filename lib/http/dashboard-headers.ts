// The response headers of every dashboard file (index.html, scripts, styles, images), whoever
// serves it: the auth Worker's asset fallback and the Pages worker (web/public/_worker.js repeats
// them in plain JS; test/e2e/dashboard-serving.test.ts keeps the two equal).
//
// The Vite build needs no inline script or style element (React sets styles through the CSSOM,
// which CSP does not govern), so nothing but our own origin may run or style anything. The one
// other origin the dashboard talks to is the runner (the status page probes its health, and the
// playground is an MCP client of its hosted servers).

/** An http(s) origin, or undefined for anything else (a misconfigured variable adds nothing). */
function originOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

export function dashboardCsp(runnerOrigin?: string): string {
  const runner = originOf(runnerOrigin);
  return [
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
  ].join('; ');
}

export function dashboardHeaders(runnerOrigin?: string): Record<string, string> {
  return {
    'content-security-policy': dashboardCsp(runnerOrigin),
    // For browsers without CSP `frame-ancestors` (RFC 7034).
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Not no-referrer: the dashboard's own POSTs would then carry `Origin: null`, which the CSRF
    // check refuses (docs/decisions.md 2026-11-23); same-origin sends nothing to other sites.
    'referrer-policy': 'same-origin',
  };
}

/** The same response with the dashboard's headers set (asset responses have immutable headers). */
export function withDashboardHeaders(res: Response, runnerOrigin?: string): Response {
  const out = new Response(res.body, res);
  for (const [k, v] of Object.entries(dashboardHeaders(runnerOrigin))) out.headers.set(k, v);
  return out;
}
