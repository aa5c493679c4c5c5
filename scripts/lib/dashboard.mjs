// Builds the dashboard (web/ → web/dist) when the build is missing or older than its sources, so
// `npm start`, the end-to-end tests and `npm run deploy:dry-run` serve the current UI. A fresh
// build takes about a second; an up-to-date one is skipped after a stat of each source file.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './workers.mjs';

const web = join(root, 'web');
export const dashboardDist = join(web, 'dist');

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Sources that change the dashboard: web/ (not its build), the lib/ code it imports, this file. */
function sourcesMtime() {
  const inputs = ['index.html', 'vite.config.ts', 'src', 'public'].map((p) => join(web, p));
  inputs.push(join(root, 'lib/spec'), join(root, 'lib/snippets.ts'), join(root, 'lib/build'));
  inputs.push(join(root, 'scripts/lib/dashboard.mjs'));
  return Math.max(...inputs.filter((p) => existsSync(p)).map(newestMtime));
}

export async function ensureDashboard(log = () => {}, { force = false } = {}) {
  const index = join(dashboardDist, 'index.html');
  if (!force && existsSync(index) && statSync(index).mtimeMs >= sourcesMtime()) return false;
  const started = Date.now();
  const { build } = await import('vite');
  // Vite keeps an inherited NODE_ENV (vitest sets "test"), which would ship React's development
  // build; the dashboard is always built for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(web, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  log(`✓ built the dashboard in ${Date.now() - started} ms`);
  return true;
}
