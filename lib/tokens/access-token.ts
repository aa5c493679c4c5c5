// The access token contract between the AS and every resource server (docs/architecture.md,
// docs/oauth.md): an RS256 JWT in the RFC 9068 profile, header {alg, typ: "at+jwt", kid}.

export const ACCESS_TOKEN_TYP = 'at+jwt';
export const ACCESS_TOKEN_ALG = 'RS256';

export type AccessTokenClaims = {
  iss: string;
  /** The user id, or the client id for client_credentials (RFC 9068 §2.2). */
  sub: string;
  /** The canonical resource `{RUNNER_ORIGIN}/{slug}/mcp` (RFC 8707 §2, RFC 9068 §3). */
  aud: string;
  client_id: string;
  /**
   * The id of the hosted server the token was issued for. `aud` names a URL, and a deleted
   * server's slug can be taken again; the id never is, so the runner checks both.
   */
  server_id: string;
  /** Space-separated (RFC 9068 §2.2.3). */
  scope: string;
  jti: string;
  iat: number;
  exp: number;
};
