// Starts the platform as `npm start` does, on free ports on 127.0.0.1 with a temporary state
// directory, for the benches (scripts/bench/auth.mjs, soak.mjs, peers.mjs, scripts/bench-build.mjs). `stop()` ends it
// and removes the state; `pid` is the start.mjs process (workerd runs under it).
// Options: `root`, another checkout to start instead of this one (before/after comparisons);
// `inspectorPort`, where workerd serves the V8 inspector (scripts/bench/profile.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export const freePort = () =>
  new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });

// `env`: the platform's environment (default: this process's).
const supportsNoDashboard = (from) =>
  readFileSync(join(from, 'scripts/start.mjs'), 'utf8').includes("'no-dashboard'");

export async function startPlatform({ root: from = root, inspectorPort, env = process.env } = {}) {
  const [authPort, runnerPort] = [await freePort(), await freePort()];
  const stateDir = mkdtempSync(join(tmpdir(), 'moat-bench-'));
  const child = spawn(
    process.execPath,
    [
      join(from, 'scripts/start.mjs'),
      '--port',
      `${authPort}`,
      '--runner-port',
      `${runnerPort}`,
      '--persist-to',
      stateDir,
      ...(inspectorPort ? ['--inspector-port', `${inspectorPort}`] : []),
      // The auth Worker without its ASSETS binding: locally Miniflare puts an asset router and an
      // RPC proxy on workerd's one thread in front of every request (about 0.9 ms CPU each), which
      // in production run at Cloudflare's edge (docs/benchmarks.md "What runs"). Older checkouts
      // compared with --root have no such flag.
      ...(supportsNoDashboard(from) ? ['--no-dashboard'] : []),
    ],
    { cwd: from, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const issuer = `http://127.0.0.1:${authPort}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`platform exited:\n${out}`);
    if (out.includes('Moat is running.')) {
      const res = await fetch(`${issuer}/api/health`).catch(() => undefined);
      if (res?.ok) break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`platform not healthy in 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(stateDir, { recursive: true, force: true });
  };
  return { issuer, stop, pid: child.pid, stateDir };
}
