import { Hono } from 'hono';
import type { AppEnv } from './app-env';
import { notFound, onError } from './middleware/errors';
import { health } from './routes/health';

const app = new Hono<AppEnv>();

app.route('/api/health', health);

app.onError(onError);
app.notFound(notFound);

export default app satisfies ExportedHandler<Env>;
export { BuildRun } from './build-run';
