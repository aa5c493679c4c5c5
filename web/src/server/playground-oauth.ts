// The playground's OAuth client: the MCP SDK's own flow (RFC 9728 discovery, RFC 7591
// registration, authorization code + PKCE S256, RFC 8707 resource, RFC 9207 `iss`), run by the
// browser against the platform's AS like any third-party browser client would.
//
// Storage: the registration is kept per issuer in localStorage (one client per browser, reused
// across servers and visits, so the per-IP registration limit is not spent). Tokens, the PKCE
// verifier, the `state` and the discovery result live in sessionStorage: they survive the redirect
// to /authorize and back, and end with the tab. Requests go out with `credentials: 'omit'`: the
// dashboard's session cookie must not make the registration an account-owned client, and the
// runner and the token endpoint take no cookies anyway.
import type {
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';

export const PLAYGROUND_CALLBACK_PATH = '/playground/callback';
const PENDING_KEY = 'moat.playground.pending';

/** What the callback page needs to finish the flow and return to the server page. */
export type PendingAuthorization = { state: string; serverId: string; serverUrl: string };

export const omitCredentials: typeof fetch = (input, init) =>
  fetch(input, { ...init, credentials: 'omit' });

function read<T>(store: Storage, key: string): T | undefined {
  const raw = store.getItem(key);
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

const write = (store: Storage, key: string, value: unknown) =>
  store.setItem(key, JSON.stringify(value));

const tokensKey = (serverUrl: string) => `moat.playground.tokens:${serverUrl}`;

/** Whether this tab holds playground tokens for the server (the page then opens the playground). */
export const hasPlaygroundTokens = (serverUrl: string): boolean =>
  sessionStorage.getItem(tokensKey(serverUrl)) !== null;

export function pendingAuthorization(): PendingAuthorization | undefined {
  return read<PendingAuthorization>(sessionStorage, PENDING_KEY);
}

export function clearPendingAuthorization(): void {
  sessionStorage.removeItem(PENDING_KEY);
}

export class PlaygroundOAuthProvider implements OAuthClientProvider {
  readonly #serverId: string;
  readonly #serverUrl: string;

  constructor(serverId: string, serverUrl: string) {
    this.#serverId = serverId;
    this.#serverUrl = serverUrl;
  }

  #key(what: string): string {
    return `moat.playground.${what}:${this.#serverUrl}`;
  }

  get redirectUrl(): string {
    return `${location.origin}${PLAYGROUND_CALLBACK_PATH}`;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Moat playground',
      // RFC 7591 §2: the AS accepts only https URIs here, which local development does not have.
      ...(location.protocol === 'https:' ? { client_uri: location.origin } : {}),
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none', // a public client (OAuth 2.1 §2.1): no secret in a page
    };
  }

  state(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const state = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    write(sessionStorage, PENDING_KEY, {
      state,
      serverId: this.#serverId,
      serverUrl: this.#serverUrl,
    } satisfies PendingAuthorization);
    return state;
  }

  clientInformation(ctx?: OAuthClientInformationContext) {
    return read<StoredOAuthClientInformation>(
      localStorage,
      `moat.playground.client:${ctx?.issuer}`,
    );
  }

  saveClientInformation(info: StoredOAuthClientInformation, ctx?: OAuthClientInformationContext) {
    write(localStorage, `moat.playground.client:${ctx?.issuer ?? info.issuer}`, info);
  }

  tokens() {
    return read<StoredOAuthTokens>(sessionStorage, tokensKey(this.#serverUrl));
  }

  saveTokens(tokens: StoredOAuthTokens) {
    write(sessionStorage, tokensKey(this.#serverUrl), tokens);
  }

  redirectToAuthorization(url: URL) {
    location.assign(url.toString());
  }

  saveCodeVerifier(verifier: string) {
    sessionStorage.setItem(this.#key('verifier'), verifier);
  }

  codeVerifier(): string {
    const v = sessionStorage.getItem(this.#key('verifier'));
    if (!v) throw new Error('The sign-in was started in another tab or has expired. Try again.');
    return v;
  }

  saveDiscoveryState(state: OAuthDiscoveryState) {
    write(sessionStorage, this.#key('discovery'), state);
  }

  discoveryState() {
    return read<OAuthDiscoveryState>(sessionStorage, this.#key('discovery'));
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'tokens')
      sessionStorage.removeItem(tokensKey(this.#serverUrl));
    if (scope === 'all' || scope === 'verifier') sessionStorage.removeItem(this.#key('verifier'));
    if (scope === 'all' || scope === 'discovery') sessionStorage.removeItem(this.#key('discovery'));
    if (scope === 'all' || scope === 'client') {
      for (const k of Object.keys(localStorage)) {
        if (k.startsWith('moat.playground.client:')) localStorage.removeItem(k);
      }
    }
  }

  /** Signs out of this server in this tab (the registration is kept for next time). */
  signOut(): void {
    this.invalidateCredentials('tokens');
    this.invalidateCredentials('discovery');
  }
}
