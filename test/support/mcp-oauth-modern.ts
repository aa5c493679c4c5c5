// MemoryOAuthProvider (mcp-oauth.ts) for @modelcontextprotocol/client 2.x, which also keeps the
// discovery result across the redirect so it can check the callback's issuer (RFC 9207).
import type {
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { MemoryOAuthProvider } from './mcp-oauth';

export class ModernMemoryOAuthProvider implements OAuthClientProvider {
  readonly #base: MemoryOAuthProvider;
  #client: StoredOAuthClientInformation | undefined;
  #tokens: StoredOAuthTokens | undefined;
  #discovery: OAuthDiscoveryState | undefined;

  constructor(redirectUrl: string, clientName: string) {
    this.#base = new MemoryOAuthProvider(redirectUrl, clientName);
  }

  get authorizationUrl(): URL | undefined {
    return this.#base.authorizationUrl;
  }
  get redirectUrl(): string {
    return this.#base.redirectUrl;
  }
  get clientMetadata() {
    return this.#base.clientMetadata;
  }
  clientInformation() {
    return this.#client;
  }
  saveClientInformation(info: StoredOAuthClientInformation) {
    this.#client = info;
  }
  tokens() {
    return this.#tokens;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.#tokens = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.#base.redirectToAuthorization(url);
  }
  saveCodeVerifier(v: string) {
    this.#base.saveCodeVerifier(v);
  }
  codeVerifier() {
    return this.#base.codeVerifier();
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.#discovery = state;
  }
  discoveryState() {
    return this.#discovery;
  }
}
