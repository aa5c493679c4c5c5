import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from './app-env';
import { limitBody } from './middleware/body-limit';
import { csrfProtect } from './middleware/csrf';
import { notFound, onError } from './middleware/errors';
import { allowedMethodsFor, methodNotAllowed } from './middleware/method-not-allowed';
import { loadPrincipal } from './middleware/session';
import { invitePages } from './pages/invite';
import { loginPages } from './pages/login';
import { openApiDocument } from './openapi';
import { apiKeys } from './control-plane/api-keys';
import { audit } from './control-plane/audit';
import { clients } from './control-plane/clients';
import { auth } from './control-plane/account';
import { health } from './health';
import { invites } from './control-plane/invites';
import { me } from './control-plane/me';
import { authorize, consent } from './authorization-server/endpoints/authorize';
import { introspect } from './authorization-server/endpoints/introspect';
import { meGrants } from './control-plane/connected-apps';
import { metadata } from './authorization-server/endpoints/metadata';
import { register } from './authorization-server/endpoints/register';
import { revoke } from './authorization-server/endpoints/revoke';
import { signingKeys } from './control-plane/signing-keys';
import { token } from './authorization-server/endpoints/token';
import { previewRoutes } from './control-plane/servers/preview';
import { buildRoutes } from './control-plane/servers/builds';
import { servers, serverSpecSchema } from './control-plane/servers/servers';
import { serverGrants } from './control-plane/servers/grants';
import { org } from './control-plane/org';

const app = new Hono<AppEnv>();

app.use('*', limitBody);
app.use('/v1/*', loadPrincipal, csrfProtect);

app.route('/api/health', health);
app.route('/', loginPages);
app.route('/v1/auth', auth);
app.route('/v1/me', me);
app.route('/v1/api-keys', apiKeys);
app.route('/v1/clients', clients);
app.route('/v1/me/grants', meGrants);
app.route('/v1/signing-keys', signingKeys);
app.route('/v1', previewRoutes);
app.route('/v1', buildRoutes);
app.route('/v1/servers', servers);
app.route('/v1/servers/:id/grants', serverGrants);
app.get('/v1/schemas/server-spec.json', serverSpecSchema);
app.route('/v1/me/org', org);
app.route('/v1/invites', invites);
app.route('/v1/audit', audit);
app.route('/', invitePages);

// OAuth 2.1 AS (docs/oauth.md). Browser-based MCP clients call these cross-origin, without cookies.
const oauthCors = cors({
  origin: '*',
  allowHeaders: ['authorization', 'content-type', 'mcp-protocol-version'],
  maxAge: 86400,
});
for (const path of ['/.well-known/*', '/token', '/register', '/revoke', '/introspect']) {
  app.use(path, oauthCors);
}
app.route('/.well-known', metadata);
app.route('/authorize', authorize);
app.route('/consent', consent);
app.route('/token', token);
app.use('/register', loadPrincipal);
app.route('/register', register);
app.route('/revoke', revoke);
app.route('/introspect', introspect);

app.get('/api/openapi.json', (c) =>
  c.json(openApiDocument(app.routes), 200, { 'cache-control': 'public, max-age=300' }),
);

app.onError(onError);
const allowedMethods = allowedMethodsFor(app as unknown as Hono<never>);
app.notFound((c) => {
  const allowed = allowedMethods(c.req.path);
  return allowed.length > 0
    ? methodNotAllowed(c.req.method, c.req.path, allowed).getResponse()
    : notFound(c);
});

export default app satisfies ExportedHandler<Env>;
export { BuildRun } from './control-plane/build/build-run';
