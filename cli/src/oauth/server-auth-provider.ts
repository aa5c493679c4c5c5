// The MCP SDK's OAuthClientProvider for `moat call`: the SDK discovers the server's Protected
// Resource Metadata (RFC 9728) and AS from the 401, and runs the authorization code flow; this
// provider supplies the CLI's client (the first-party `moat-cli`), the loopback redirect, `state`, and stores
// the server's tokens (keyed by its resource URL) in the credentials file.
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { withExpiry, type CredentialStore, type StoredClient } from '../credentials.ts';
import { CLI_CLIENT_NAME } from './authorization-server.ts';
import { newState } from './login-flow.ts';

export class ServerAuthProvider implements OAuthClientProvider {
  readonly #store: CredentialStore;
  readonly #apiUrl: string;
  readonly #resource: string;
  readonly #redirectUri: string;
  readonly #onAuthorize: (url: URL, state: string) => void;
  #verifier: string | undefined;
  #state: string | undefined;

  constructor(opts: {
    store: CredentialStore;
    apiUrl: string;
    resource: string;
    redirectUri: string;
    onAuthorize: (url: URL, state: string) => void;
  }) {
    this.#store = opts.store;
    this.#apiUrl = opts.apiUrl;
    this.#resource = opts.resource;
    this.#redirectUri = opts.redirectUri;
    this.#onAuthorize = opts.onAuthorize;
  }

  get redirectUrl(): string {
    return this.#redirectUri;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: CLI_CLIENT_NAME,
      redirect_uris: [this.#redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      software_id: 'moat-cli',
    };
  }

  state(): string {
    this.#state = newState();
    return this.#state;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.#store.get(this.#apiUrl).client?.info as OAuthClientInformationMixed | undefined;
  }

  async saveClientInformation(info: OAuthClientInformationMixed): Promise<void> {
    await this.#store.update(this.#apiUrl, (e) => ({
      ...e,
      client: { issuer: this.#apiUrl, info: info as StoredClient },
    }));
  }

  tokens(): OAuthTokens | undefined {
    const t = this.#store.get(this.#apiUrl).servers?.[this.#resource];
    if (!t) return undefined;
    const { expires_at: _expiresAt, ...tokens } = t;
    return tokens as OAuthTokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    await this.#store.update(this.#apiUrl, (e) => {
      const previous = e.servers?.[this.#resource]?.refresh_token;
      // Rotation (OAuth 2.1 §4.3.1): keep the newest refresh token.
      const stored = withExpiry({ ...tokens, refresh_token: tokens.refresh_token ?? previous });
      return { ...e, servers: { ...e.servers, [this.#resource]: stored } };
    });
  }

  redirectToAuthorization(url: URL): void {
    this.#onAuthorize(url, this.#state ?? url.searchParams.get('state') ?? '');
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.#verifier) throw new Error('No PKCE verifier: the authorization was not started.');
    return this.#verifier;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'verifier' || scope === 'discovery') return;
    await this.#store.update(this.#apiUrl, (e) => {
      const servers = { ...e.servers };
      delete servers[this.#resource];
      return { ...e, servers, ...(scope === 'tokens' ? {} : { client: undefined }) };
    });
  }
}
