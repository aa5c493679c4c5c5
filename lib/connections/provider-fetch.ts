// Outbound HTTP to a connection's provider (metadata, token, revocation endpoints), shared by the
// auth Worker (linking, removal) and the runner (refresh). Every call has a time limit and a size
// limit, follows no redirects (RFC 6749 §3.2 names one token endpoint; a redirect could move a
// client secret elsewhere), and refuses private addresses unless the platform allows them (the
// same rule as tools' egress, DESIGN §4).
import { readLimited } from '../http/bounded-body';
import { isPrivateHost } from '../spec/egress';

const MAX_BYTES = 64 * 1024;
const TIMEOUT_MS = 10_000;

export type ProviderFetchOptions = {
  /** ALLOW_PRIVATE_EGRESS: local development and tests only. */
  allowPrivate: boolean;
  /** The fetch to use (the runner passes its egress-guarded one); default globalThis.fetch. */
  fetch?: typeof fetch;
};

/** A provider was unreachable or answered something unusable; `reason` is for logs and pages. */
export class ProviderError extends Error {
  readonly code = 'provider_error';
}

export function assertProviderUrl(url: string, opts: ProviderFetchOptions): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ProviderError(`${url} is not a URL`);
  }
  const local = isPrivateHost(u.hostname);
  if (local && !opts.allowPrivate) throw new ProviderError(`${u.host} is a private address`);
  // RFC 6749 §3.1/§3.2 require TLS; plain http only for a local provider in development.
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local && opts.allowPrivate)) {
    throw new ProviderError(`${u.origin} is not https`);
  }
  return u;
}

/** Sends one request; answers the status and the body parsed as JSON (undefined if not JSON). */
export async function providerRequest(
  url: string,
  init: RequestInit,
  opts: ProviderFetchOptions,
): Promise<{ status: number; json: unknown }> {
  assertProviderUrl(url, opts);
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new ProviderError(`${new URL(url).host} is unreachable (${(err as Error).name})`);
  }
  let text: string;
  try {
    text = new TextDecoder().decode(await readLimited(res, MAX_BYTES));
  } catch {
    throw new ProviderError(`${new URL(url).host} sent an unreadable or too large answer`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}
