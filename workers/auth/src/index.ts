import { Hono } from 'hono';
import type { AppEnv } from './app-env';
import { limitBody } from './middleware/body-limit';
import { csrfProtect } from './middleware/csrf';
import { notFound, onError } from './middleware/errors';
import { allowedMethodsFor, methodNotAllowed } from './middleware/method-not-allowed';
import { loadPrincipal } from './middleware/session';
import { invitePages } from './pages/invite';
import { loginPages } from './pages/login';
import { apiKeys } from './routes/api-keys';
import { audit } from './routes/audit';
import { auth } from './routes/auth';
import { health } from './routes/health';
import { invites } from './routes/invites';
import { me } from './routes/me';
import { previewRoutes } from './routes/preview';
import { servers, serverSpecSchema } from './routes/servers';
import { org } from './routes/org';

const app = new Hono<AppEnv>();

app.use('*', limitBody);
app.use('/v1/*', loadPrincipal, csrfProtect);

app.route('/api/health', health);
app.route('/', loginPages);
app.route('/v1/auth', auth);
app.route('/v1/me', me);
app.route('/v1/api-keys', apiKeys);
app.route('/v1', previewRoutes);
app.route('/v1/servers', servers);
app.get('/v1/schemas/server-spec.json', serverSpecSchema);
app.route('/v1/me/org', org);
app.route('/v1/invites', invites);
app.route('/v1/audit', audit);
app.route('/', invitePages);

app.onError(onError);
const allowedMethods = allowedMethodsFor(app as unknown as Hono<never>);
app.notFound((c) => {
  const allowed = allowedMethods(c.req.path);
  return allowed.length > 0
    ? methodNotAllowed(c.req.method, c.req.path, allowed).getResponse()
    : notFound(c);
});

export default app satisfies ExportedHandler<Env>;
export { BuildRun } from './build-run';
