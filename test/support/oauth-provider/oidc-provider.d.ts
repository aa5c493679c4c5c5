// The few parts of oidc-provider (panva, ships no types) the test provider uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  type Token = {
    accountId: string;
    clientId: string;
    scope?: string;
    grantId: string;
    isExpired: boolean;
  };
  type TokenModel = {
    find(value: string): Promise<Token | undefined>;
    revokeByGrantId(grantId: string): Promise<void>;
  };
  type GrantInstance = {
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  };
  type InteractionDetails = {
    uid: string;
    prompt: { name: string };
    params: Record<string, string | undefined>;
  };
  type Ctx = { oidc: { params?: Record<string, unknown>; client?: { clientId: string } } };

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    proxy: boolean;
    Grant: new (init: { accountId: string; clientId: string }) => GrantInstance;
    AccessToken: TokenModel;
    RefreshToken: TokenModel;
    AuthorizationCode: TokenModel;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (ctx: Ctx, ...rest: unknown[]) => void): void;
  }
}
