// How a revocation reaches resource servers that verify access tokens offline (docs/runner.md
// "Revocation"). The AS appends a rule for every event that ends access before the tokens it
// issued expire: a revoked grant, a removed member, a revoked API key, a deleted server. A rule
// matches a token when every field it sets equals the token's (or, for `orgId`, the org of the
// server the token is presented to) and the token was issued before the rule.
// RFC 7009 §2 lets a resource server learn of revocation by any means; this is ours.

/** One rule; `undefined`/`null` fields match anything. Times are epoch milliseconds. */
export type RevocationRule = {
  serverId?: string | null;
  orgId?: string | null;
  sub?: string | null;
  clientId?: string | null;
  grantId?: string | null;
  /** Tokens whose `iat` is before this instant are revoked. */
  issuedBefore: number;
  /** After this instant no token the rule matches can still be valid; the rule can be dropped. */
  expiresAt: number;
};

/** The facts about a presented token that rules can name. */
export type PresentedToken = {
  sub: string;
  clientId: string;
  /** The grant the token belongs to (from its `jti`), when it has one. */
  grantId: string | undefined;
  serverId: string;
  /** The org of the server the token is presented to. */
  orgId: string;
  /** `iat`, in seconds (RFC 7519 §4.1.6). */
  iat: number;
};

const matches = (field: string | null | undefined, value: string | undefined) =>
  field === undefined || field === null || field === value;

export function revokes(rule: RevocationRule, token: PresentedToken): boolean {
  // `iat` has one-second resolution: a token issued in the same second as the rule counts as
  // issued before it, so a revocation can never miss a token (it may refuse one minted in that
  // second after it, which its client then simply replaces).
  return (
    token.iat * 1000 < rule.issuedBefore + 1000 &&
    matches(rule.serverId, token.serverId) &&
    matches(rule.orgId, token.orgId) &&
    matches(rule.sub, token.sub) &&
    matches(rule.clientId, token.clientId) &&
    matches(rule.grantId, token.grantId)
  );
}

/**
 * The grant id a token's `jti` carries: `gr_….<random>` for every token the AS issues — a
 * client_credentials token's grant is its client's machine grant for the server — and nothing
 * for any other form (`cc.<random>`, from before machine grants; workers/auth/src/oauth/token-material.ts).
 */
export function grantIdOfJti(jti: string): string | undefined {
  const id = jti.split('.')[0];
  return id?.startsWith('gr_') ? id : undefined;
}
