// Starts the platform exactly as `npm start` does (scripts/start.mjs), on free ports with a fresh
// state directory, and stops it afterwards. End-to-end tests drive it over real HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

export type Platform = {
  issuer: string;
  runnerOrigin: string;
  stateDir: string;
  output: () => string;
  stop: () => Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

type StartOptions = { stateDir?: string; env?: Record<string, string> };

/**
 * A port `freePort` found can be taken by another test file's platform before ours binds it
 * (files run in parallel); that start is retried on fresh ports, any other failure is not.
 */
export async function startPlatform(opts: StartOptions = {}): Promise<Platform> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (attempt >= 3 || !(err as Error).message.includes('Address already in use')) throw err;
    }
  }
}

async function startOnce(opts: StartOptions): Promise<Platform> {
  const [authPort, runnerPort] = [await freePort(), await freePort()];
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'moat-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(repoRoot, 'scripts/start.mjs'),
      '--port',
      String(authPort),
      '--runner-port',
      String(runnerPort),
      '--persist-to',
      stateDir,
    ],
    { cwd: repoRoot, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));

  const issuer = `http://127.0.0.1:${authPort}`;
  const runnerOrigin = `http://127.0.0.1:${runnerPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      if (!opts.stateDir) rmSync(stateDir, { recursive: true, force: true });
      throw new Error(`platform exited early:\n${out}`);
    }
    if (out.includes('Moat is running.')) {
      const res = await fetch(`${issuer}/api/health`).catch(() => undefined);
      if (res?.ok) break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`platform did not become healthy in 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    issuer,
    runnerOrigin,
    stateDir,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!opts.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
