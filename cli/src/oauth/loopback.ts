// The loopback redirect of a native app (RFC 8252 §7.3): an HTTP listener on 127.0.0.1 and a
// port the OS picks, which receives exactly one authorization response and then closes.
// `state` is compared in constant time (RFC 6749 §10.12) and `iss` checked when the AS says it
// sends one (RFC 9207 §2.4), which defeats mix-up attacks.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { CliError, EXIT } from '../cli-error.ts';

export type LoopbackListener = {
  redirectUri: string;
  /** Resolves with the authorization code once a matching response arrives. */
  waitForCode: (expect: { state: string; issuer?: string }, timeoutMs?: number) => Promise<string>;
  close: () => void;
};

const PAGE = (title: string, body: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title>` +
  `<body style="font-family:system-ui;max-width:32rem;margin:4rem auto"><h1>${title}</h1><p>${body}</p>`;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startLoopback(): Promise<LoopbackListener> {
  let settle: ((r: { code?: string; error?: CliError }) => void) | undefined;
  let expected: { state: string; issuer?: string } | undefined;

  const handle = (url: URL): { status: number; html: string } => {
    if (!expected || !settle) {
      return { status: 400, html: PAGE('Sign-in failed', 'No moat command is waiting for this.') };
    }
    const q = url.searchParams;
    if (!same(q.get('state') ?? '', expected.state)) {
      return {
        status: 400,
        html: PAGE('Sign-in failed', 'This response does not belong to the running moat command.'),
      };
    }
    const iss = q.get('iss');
    if (expected.issuer !== undefined && (iss === null || !same(iss, expected.issuer))) {
      settle?.({
        error: new CliError('The authorization response came from an unexpected issuer.', {
          exitCode: EXIT.auth,
          code: 'issuer_mismatch',
          hint: 'Run `moat login` again.',
        }),
      });
      return {
        status: 400,
        html: PAGE('Sign-in failed', 'The response came from an unexpected server.'),
      };
    }
    const error = q.get('error');
    if (error) {
      const denied = error === 'access_denied';
      settle?.({
        error: new CliError(
          denied
            ? 'You denied access in the browser.'
            : `The authorization server answered ${error}${q.get('error_description') ? `: ${q.get('error_description')}` : ''}.`,
          {
            exitCode: EXIT.auth,
            code: error,
            hint: denied
              ? 'Run the command again and choose Allow.'
              : 'Run the command again; if it persists, check the platform logs.',
          },
        ),
      });
      return { status: 200, html: PAGE('Sign-in cancelled', 'You can close this tab.') };
    }
    const code = q.get('code');
    if (!code) return { status: 400, html: PAGE('Sign-in failed', 'The response has no code.') };
    settle?.({ code });
    return {
      status: 200,
      html: PAGE('Signed in', 'You can close this tab and return to the terminal.'),
    };
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/callback') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const { status, html } = handle(url);
    res
      .writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      })
      .end(html);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address() as { port: number };

  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    close: () => server.close(),
    waitForCode: (expect, timeoutMs = 5 * 60_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new CliError('Timed out waiting for the browser sign-in.', {
              exitCode: EXIT.auth,
              code: 'timeout',
              hint: 'Run the command again and finish signing in within 5 minutes.',
            }),
          );
        }, timeoutMs);
        settle = (r) => {
          clearTimeout(timer);
          settle = undefined;
          if (r.error) reject(r.error);
          else resolve(r.code!);
        };
        expected = expect;
      }),
  };
}
