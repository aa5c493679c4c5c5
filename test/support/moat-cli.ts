// Runs the real `moat` binary (cli/bin/moat.mjs) as a child process against a started platform,
// with its own temporary config directory, the way a user's shell would.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './platform';

export type MoatRun = { code: number | null; stdout: string; stderr: string };

export type MoatOptions = {
  input?: string;
  env?: Record<string, string>;
  onStderr?: (all: string) => void;
};

export const moatBin = join(repoRoot, 'cli/bin/moat.mjs');

export function newConfigDir(): string {
  return mkdtempSync(join(tmpdir(), 'moat-cli-'));
}

/** `moat …args` with MOAT_API_URL and MOAT_CONFIG_DIR set; stdin is `input` (or empty). */
export function moat(
  apiUrl: string,
  configDir: string,
  args: string[],
  opts: MoatOptions = {},
): Promise<MoatRun> {
  const child = spawn(process.execPath, [moatBin, ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      MOAT_API_URL: apiUrl,
      MOAT_CONFIG_DIR: configDir,
      ...opts.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    opts.onStderr?.(stderr);
  });
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`moat ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 45_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A new user with a session cookie and an API key, made over the public account API. */
export async function newAccount(
  issuer: string,
  email = `cli-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
) {
  const password = 'correct horse battery staple';
  const signup = await fetch(`${issuer}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (signup.status !== 201)
    throw new Error(`signup failed: ${signup.status} ${await signup.text()}`);
  const cookie = signup.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const me = (await (await fetch(`${issuer}/v1/me`, { headers: { cookie } })).json()) as {
    csrfToken: string;
  };
  const created = await fetch(`${issuer}/v1/api-keys`, {
    method: 'POST',
    headers: {
      cookie,
      origin: issuer,
      'x-csrf-token': me.csrfToken,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ name: 'moat cli test' }),
  });
  if (created.status !== 201) throw new Error(`api key failed: ${created.status}`);
  const { key } = (await created.json()) as { key: string };
  return { email, password, cookie, apiKey: key };
}

/**
 * Runs an interactive `moat` command (`login`, `call`) with --no-browser, and plays the browser
 * on the authorization URL it prints, as `user`.
 */
export async function moatWithBrowser(
  apiUrl: string,
  configDir: string,
  args: string[],
  browser: (authorizeUrl: string) => Promise<unknown>,
): Promise<MoatRun & { authorizeUrl: string }> {
  let started: Promise<unknown> | undefined;
  let authorizeUrl = '';
  const run = await moat(apiUrl, configDir, [...args, '--no-browser'], {
    onStderr: (all) => {
      const m = /(http\S+\/authorize\?\S+)/.exec(all);
      if (m && !started) {
        authorizeUrl = m[1]!;
        started = browser(authorizeUrl);
      }
    },
  });
  if (started) await started;
  return { ...run, authorizeUrl };
}
