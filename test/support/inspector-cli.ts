// The MCP Inspector's CLI (@modelcontextprotocol/inspector 2.x) as a user runs it: a child process
// with its own HOME (its OAuth state and client registrations live under ~/.mcp-inspector), a
// loopback OAuth callback listener, and no browser. When it asks the user to open the
// authorization URL, the test signs in and approves with `approve` and delivers the redirect to
// the CLI's callback listener, as the browser would.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, repoRoot } from './platform';

const LAUNCHER = join(
  repoRoot,
  'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js',
);

export type InspectorRun = { code: number | null; stdout: string; stderr: string };

export async function runInspectorCli(
  args: string[],
  opts: { home: string; approve: (authorizationUrl: URL, redirectUrl: string) => Promise<URL> },
): Promise<InspectorRun> {
  const callbackUrl = `http://127.0.0.1:${await freePort()}/oauth/callback`;
  const child = spawn(
    process.execPath,
    [LAUNCHER, '--cli', ...args, '--callback-url', callbackUrl, '--format', 'json'],
    {
      cwd: opts.home,
      env: {
        ...process.env,
        HOME: opts.home,
        // No keychain here: keep the registration and tokens in $HOME/.mcp-inspector, so a second
        // run reuses them as it would on a desktop.
        MCP_INSPECTOR_SECRET_STORE: 'file',
        NO_COLOR: '1',
        // Interactive OAuth without a TTY: the CLI prints the URL, then "opens" it through
        // xdg-open, which (with no desktop) runs $BROWSER — `true`, a browser that does nothing.
        MCP_AUTO_OPEN_ENABLED: 'true',
        BROWSER: 'true',
        DISPLAY: '',
        XDG_CURRENT_DESKTOP: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let delivering: Promise<unknown> | undefined;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    const m = /Please navigate to: (\S+)/.exec(stderr);
    if (m && !delivering) {
      delivering = opts
        .approve(new URL(m[1]!), callbackUrl)
        .then((redirect) => fetch(redirect))
        .then((res) => res.text())
        .catch((err: unknown) => (stderr += `\n[test] approving failed: ${String(err)}\n`));
    }
  });
  const code = await new Promise<number | null>((ok) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.once('exit', (c) => (clearTimeout(timer), ok(c)));
  });
  await delivering;
  return { code, stdout, stderr };
}
