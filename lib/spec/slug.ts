// The slug that names a hosted server in its URL (DESIGN §4): its pattern and the names it may not
// take.
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/** Slugs that would collide with platform paths or mislead users. */
export const RESERVED_SLUGS = new Set([
  'api',
  'admin',
  'auth',
  'app',
  'dashboard',
  'docs',
  'login',
  'logout',
  'mcp',
  'moat',
  'oauth',
  'register',
  'settings',
  'static',
  'status',
  'token',
  'v1',
  'well-known',
  'www',
]);
