import { describe, expect, it } from 'vitest';
import { grantIdOfJti, revokes, type PresentedToken, type RevocationRule } from './revocation';

const at = Date.UTC(2026, 11, 2, 12, 0, 0);
const token: PresentedToken = {
  sub: 'usr_1',
  clientId: 'cl_1',
  grantId: 'gr_1',
  serverId: 'srv_1',
  orgId: 'org_1',
  iat: at / 1000 - 60,
};
const rule = (r: Partial<RevocationRule>): RevocationRule => ({
  issuedBefore: at,
  expiresAt: at + 3_600_000,
  ...r,
});

describe('revokes', () => {
  it('revokes a token of the named grant issued before the rule', () => {
    expect(revokes(rule({ grantId: 'gr_1' }), token)).toBe(true);
  });

  it('leaves tokens of other grants, subjects, clients, servers and orgs alone', () => {
    expect(revokes(rule({ grantId: 'gr_2' }), token)).toBe(false);
    expect(revokes(rule({ sub: 'usr_2', orgId: 'org_1' }), token)).toBe(false);
    expect(revokes(rule({ clientId: 'cl_2' }), token)).toBe(false);
    expect(revokes(rule({ serverId: 'srv_2' }), token)).toBe(false);
    expect(revokes(rule({ sub: 'usr_1', orgId: 'org_2' }), token)).toBe(false);
  });

  it('needs every field it names to match', () => {
    expect(revokes(rule({ sub: 'usr_1', orgId: 'org_1' }), token)).toBe(true);
    expect(revokes(rule({ sub: 'usr_1', serverId: 'srv_2' }), token)).toBe(false);
  });

  it('spares tokens issued a second or more after the rule', () => {
    expect(revokes(rule({ sub: 'usr_1' }), { ...token, iat: at / 1000 + 1 })).toBe(false);
  });

  it('counts a token issued in the same second as the rule as revoked', () => {
    expect(
      revokes(rule({ sub: 'usr_1', issuedBefore: at + 400 }), { ...token, iat: at / 1000 }),
    ).toBe(true);
  });
});

describe('grantIdOfJti', () => {
  it('reads the grant id before the dot, and nothing from client_credentials jtis', () => {
    expect(grantIdOfJti('gr_abc.xyz')).toBe('gr_abc');
    expect(grantIdOfJti('cc.xyz')).toBeUndefined();
  });
});
