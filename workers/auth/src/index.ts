// The auth Worker: the Authorization Server, the /v1 control plane, health and the server-rendered
// pages, with the 404/405/error handling they share (docs/architecture.md).
import { Hono } from 'hono';
import type { AppEnv } from './app-env';
import { authorizationServer } from './authorization-server/app';
import { controlPlane } from './control-plane/app';
import { health } from './health';
import { limitBody } from './middleware/body-limit';
import { notFound, onError } from './middleware/errors';
import { allowedMethodsFor, methodNotAllowed } from './middleware/method-not-allowed';
import { openApiDocument } from './openapi';
import { invitePages } from './pages/invite';
import { loginPages } from './pages/login';

const app = new Hono<AppEnv>();

app.use('*', limitBody);
app.get('/api/health', health);
app.route('/', controlPlane);
app.route('/', authorizationServer);
app.route('/', loginPages);
app.route('/', invitePages);
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
