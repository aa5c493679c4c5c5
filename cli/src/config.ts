// Where the CLI talks to and where it keeps its credentials (docs/cli.md "Configuration").
import { homedir } from 'node:os';
import { join } from 'node:path';
import { usageError } from './cli-error.ts';

export const DEFAULT_API_URL = 'http://127.0.0.1:8787';

/** `--api-url`, else `MOAT_API_URL`, else the local platform; normalized to an origin + path. */
export function resolveApiUrl(flag: string | undefined, env = process.env): string {
  const raw = flag ?? env.MOAT_API_URL ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(
      `The API URL "${raw}" is not a URL.`,
      'Pass e.g. --api-url https://moat.example.com',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw usageError(`The API URL must be http(s), not ${url.protocol}`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    // Tokens must not cross the network in clear text (RFC 6749 §1.6, OAuth 2.1 §1.5).
    throw usageError(
      `Refusing plain http for ${url.host}: credentials would travel unencrypted.`,
      'Use an https:// API URL (plain http is allowed only for 127.0.0.1 and localhost).',
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** `MOAT_CONFIG_DIR`, else `$XDG_CONFIG_HOME/moat`, else `~/.config/moat`. */
export function configDir(env = process.env): string {
  if (env.MOAT_CONFIG_DIR) return env.MOAT_CONFIG_DIR;
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.config'), 'moat');
}
