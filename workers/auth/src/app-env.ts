import type { Session, User } from '../../../lib/db/schema';
import type { OAuthError } from '../../../lib/oauth/errors';
import type { Role } from './store/orgs';

/**
 * What a request carries once the auth middleware has run (see middleware/session.ts).
 * `orgId` is the org the request acts in and `role` the user's role there.
 */
export type Principal =
  | { kind: 'session'; user: User; session: Session; orgId: string; role: Role }
  | { kind: 'api_key'; user: User; apiKeyId: string; orgId: string; role: Role }
  | { kind: 'oauth'; user: User; clientId: string; jti: string; orgId: string; role: Role };

export type AppEnv = {
  Bindings: Env;
  Variables: {
    principal?: Principal;
    /** How /authorize or /consent failed, for the connection recorder (connection-recorder/). */
    authorizeError?: OAuthError;
    /** /token's parsed body, for the connection recorder (read once: bodyParams). */
    tokenParams?: Record<string, string>;
  };
};
