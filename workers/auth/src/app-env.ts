import type { Session, User } from '../../../lib/db/schema';

/** What a request carries once the auth middleware has run (see middleware/). */
export type Principal =
  | { kind: 'session'; user: User; session: Session; orgId: string }
  | { kind: 'api_key'; user: User; apiKeyId: string; orgId: string };

export type AppEnv = {
  Bindings: Env;
  Variables: {
    principal?: Principal;
  };
};
