import { describe, expect, it } from 'vitest';
import { clientHealthVerdict, type ClientHealthFacts } from './client-health';

const now = Date.UTC(2026, 11, 3);
const DAY = 86_400_000;
const facts = (f: Partial<ClientHealthFacts> = {}): ClientHealthFacts => ({
  kind: 'dcr',
  lastTokenAt: now - DAY,
  lastUsedAt: now - DAY,
  refreshCount: 0,
  last401At: null,
  last401Reason: null,
  recent401Count: 0,
  liveGrants: 1,
  revokedGrants: 0,
  maxGrantsPerUser: 1,
  ...f,
});

describe('clientHealthVerdict', () => {
  it('is healthy for a client that refreshes', () => {
    expect(clientHealthVerdict(facts({ refreshCount: 3 }), now).health).toBe('healthy');
  });

  it('is revoked when no grant is live and one was revoked', () => {
    expect(clientHealthVerdict(facts({ liveGrants: 0, revokedGrants: 2 }), now).health).toBe(
      'revoked',
    );
  });

  it('is failing after three 401s with no accepted request since', () => {
    const f = facts({ recent401Count: 3, last401At: now, last401Reason: 'expired' });
    expect(clientHealthVerdict(f, now)).toEqual({
      health: 'failing',
      healthReason:
        '3 requests refused with 401 since its last accepted request (last: expired token).',
    });
    expect(clientHealthVerdict({ ...f, lastUsedAt: now + 1 }, now).health).toBe('healthy');
    expect(clientHealthVerdict({ ...f, recent401Count: 2 }, now).health).toBe('healthy');
  });

  it('says never_refreshes when one user authorized it twice and it never refreshed', () => {
    expect(clientHealthVerdict(facts({ maxGrantsPerUser: 2 }), now).health).toBe('never_refreshes');
    expect(clientHealthVerdict(facts({ maxGrantsPerUser: 2, refreshCount: 1 }), now).health).toBe(
      'healthy',
    );
    expect(clientHealthVerdict(facts({ maxGrantsPerUser: 2, kind: 'machine' }), now).health).toBe(
      'healthy',
    );
  });

  it('is stale after 30 days without a token or a use', () => {
    const old = facts({ lastTokenAt: now - 31 * DAY, lastUsedAt: now - 40 * DAY });
    expect(clientHealthVerdict(old, now)).toEqual({
      health: 'stale',
      healthReason: 'No token and no use for 31 days.',
    });
    expect(clientHealthVerdict({ ...old, lastUsedAt: now - DAY }, now).health).toBe('healthy');
  });
});
