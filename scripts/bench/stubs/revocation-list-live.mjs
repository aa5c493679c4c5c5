// Bench stand-in (scripts/bench/substitutes.mjs): the real revocation-list module, except that
// every token is live and no rule is ever read.
export * from '../../../workers/runner/src/revocation-list.ts';

export const isolateRevocations = { verdict: async () => 'live' };
