// Bundles the Workers and describes them to Miniflare from their wrangler.toml, so `npm start`,
// the end-to-end tests and the auth Worker's tests all run the same code with the same bindings.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

// Wrangler's config reader warns about .dev.vars it does not need here; the caller passes bindings.
process.env.WRANGLER_LOG ??= 'error';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const WORKERS = {
  auth: { config: join(root, 'wrangler.toml'), entry: join(root, 'workers/auth/src/index.ts') },
  runner: {
    config: join(root, 'workers/runner/wrangler.toml'),
    entry: join(root, 'workers/runner/src/index.ts'),
  },
};

/** esbuild with the conditions and externals workerd expects (as wrangler bundles). */
/** `plugins`: esbuild plugins, for a harness that swaps modules (scripts/bench/substitutes.mjs). */
/** `entry`: another checkout's entry point, for a bench comparing two commits. */
export async function bundleWorker(
  name,
  outdir = join(root, 'dist/local', name),
  plugins = [],
  entry = WORKERS[name].entry,
) {
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'index.js');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser', 'import', 'default'],
    mainFields: ['browser', 'module', 'main'],
    external: ['cloudflare:*', 'node:*'],
    // Bare Node built-in names some packages import lazily (json-schema-ref-parser's file resolver,
    // never called here); nodejs_compat serves them under node:, as wrangler's bundler maps them.
    alias: { fs: 'node:fs' },
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    logLevel: 'warning',
    plugins,
  });
  return outfile;
}

/** Miniflare worker options for one Worker, from its wrangler.toml, running `scriptPath`. */
/** `assets: false` leaves the ASSETS binding out (`npm start -- --no-dashboard`). */
export function workerOptions(name, scriptPath, bindings = {}, { assets = true } = {}) {
  const { workerOptions: o } = unstable_getMiniflareWorkerOptions(WORKERS[name].config);
  return {
    name: `moat-${name}`,
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    compatibilityDate: o.compatibilityDate,
    compatibilityFlags: o.compatibilityFlags,
    bindings: { ...o.bindings, ...bindings },
    kvNamespaces: o.kvNamespaces,
    d1Databases: o.d1Databases,
    durableObjects: o.durableObjects,
    serviceBindings: o.serviceBindings,
    // The auth Worker serves the dashboard (web/dist) through its ASSETS binding.
    ...(o.assets && assets ? { assets: o.assets } : {}),
  };
}
