// The interactive half of the authorization code flow: show (and open) the authorization URL,
// then wait on the loopback listener for the browser to come back with the code.
import type { Output } from '../output.ts';
import { openBrowser } from './browser.ts';
import type { LoopbackListener } from './loopback.ts';

export async function browserSignIn(
  out: Output,
  loopback: LoopbackListener,
  authorizationUrl: URL,
  opts: { state: string; issuer?: string; noBrowser: boolean },
): Promise<string> {
  const waiting = loopback.waitForCode({ state: opts.state, issuer: opts.issuer });
  // The URL goes to stderr even with --json: it is what the user must act on.
  out.warn(
    opts.noBrowser
      ? `Open this URL in a browser to sign in:\n\n  ${authorizationUrl.href}\n`
      : `Opening your browser to sign in. If it does not open, visit:\n\n  ${authorizationUrl.href}\n`,
  );
  if (!opts.noBrowser) openBrowser(authorizationUrl.href);
  const stop = out.spinner('Waiting for you to finish in the browser… (Ctrl-C to cancel)');
  try {
    return await waiting;
  } finally {
    stop();
  }
}
