import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '../db/schema';
import { assembleAttempts, stepsOf } from './assemble-attempts';
import { ABANDONED_AFTER_MS, judgeAttempt } from './diagnose-attempt';

const server = { resource: 'https://run.example/notes/mcp', scopes: ['mcp:read'] };
let n = 0;
const ev = (
  e: Partial<ConnectionEvent> & Pick<ConnectionEvent, 'step' | 'at'>,
): ConnectionEvent => ({
  id: `cev_${++n}`,
  serverId: 'srv_1',
  clientId: null,
  requester: null,
  attemptKey: null,
  grantId: null,
  ok: true,
  detail: {},
  ...e,
});

describe('assembleAttempts', () => {
  it('joins discovery (by requester), registration (by client) and the first request (by grant)', () => {
    const events = [
      ev({ step: 'discovery', at: 1, requester: 'r1' }),
      ev({ step: 'registration', at: 2, requester: 'r1', clientId: 'cl_a' }),
      ev({ step: 'authorize', at: 3, requester: 'browser', clientId: 'cl_a', attemptKey: 'k1' }),
      ev({ step: 'consent', at: 4, requester: 'browser', clientId: 'cl_a', attemptKey: 'k1' }),
      ev({
        step: 'token',
        at: 5,
        requester: 'r1',
        clientId: 'cl_a',
        attemptKey: 'k1',
        grantId: 'gr_1',
      }),
      ev({ step: 'mcp_request', at: 6, requester: 'r1', clientId: 'cl_a', grantId: 'gr_1' }),
      ev({ step: 'discovery', at: 7, requester: 'r2' }),
    ];
    const groups = assembleAttempts(events);
    expect(groups).toHaveLength(2);
    const full = groups.find((g) => g.clientId === 'cl_a')!;
    expect(full.events.map((e) => e.step)).toEqual([
      'discovery',
      'registration',
      'authorize',
      'consent',
      'token',
      'mcp_request',
    ]);
  });

  it('keeps two authorizations of one client apart by their PKCE attempt key', () => {
    const groups = assembleAttempts([
      ev({ step: 'authorize', at: 1, clientId: 'cl_a', attemptKey: 'k1' }),
      ev({ step: 'authorize', at: 2, clientId: 'cl_a', attemptKey: 'k2' }),
    ]);
    expect(groups).toHaveLength(2);
  });
});

describe('judgeAttempt', () => {
  const now = 10 * ABANDONED_AFTER_MS;
  const steps = (events: ConnectionEvent[]) => stepsOf(assembleAttempts(events)[0]!);

  it('says token_never_used when a token was issued and no request followed', () => {
    const s = steps([
      ev({ step: 'authorize', at: 1, attemptKey: 'k', detail: { next: 'consent' } }),
      ev({ step: 'consent', at: 2, attemptKey: 'k' }),
      ev({ step: 'token', at: 3, attemptKey: 'k' }),
    ]);
    expect(judgeAttempt(s, server, now)).toMatchObject({
      outcome: 'failed',
      failedStep: 'mcp_request',
      diagnosis: { code: 'token_never_used' },
    });
    expect(judgeAttempt(s, server, 4).outcome).toBe('in_progress');
  });

  it('says code_never_exchanged when consent was given and no token was asked for', () => {
    const s = steps([
      ev({ step: 'authorize', at: 1, attemptKey: 'k', detail: { next: 'consent' } }),
      ev({ step: 'consent', at: 2, attemptKey: 'k' }),
    ]);
    expect(judgeAttempt(s, server, now)).toMatchObject({
      failedStep: 'token',
      diagnosis: { code: 'code_never_exchanged' },
    });
  });

  it('ignores a failure that a later step recovered from', () => {
    const s = steps([
      ev({ step: 'login', at: 1, attemptKey: 'k', ok: false }),
      ev({ step: 'login', at: 2, attemptKey: 'k' }),
      ev({ step: 'mcp_request', at: 3, attemptKey: 'k' }),
    ]);
    expect(judgeAttempt(s, server, now)).toEqual({ outcome: 'succeeded' });
  });

  it('names the sent and the expected resource for a resource mismatch', () => {
    const s = steps([
      ev({
        step: 'authorize',
        at: 1,
        ok: false,
        attemptKey: 'k',
        detail: { reason: 'resource_mismatch', resource: 'https://other/mcp' },
      }),
    ]);
    const j = judgeAttempt(s, server, now);
    expect(j.diagnosis?.message).toContain('"https://other/mcp"');
    expect(j.diagnosis?.message).toContain(server.resource);
  });

  it('explains a 403 with the scope needed and the scope held', () => {
    const s = steps([
      ev({
        step: 'mcp_request',
        at: 1,
        ok: false,
        clientId: 'cl',
        detail: { status: 403, needed: 'mcp:write', granted: 'mcp:read' },
      }),
    ]);
    expect(judgeAttempt(s, server, now).diagnosis).toEqual({
      code: 'insufficient_scope',
      message: 'The token lacks the scope mcp:write the request needs (it has: mcp:read).',
    });
  });
});
