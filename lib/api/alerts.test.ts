import { describe, expect, it } from 'vitest';
import {
  ALERT_CADENCE,
  ALERT_RULES,
  FAILING_MIN,
  SPIKE_MIN_CALLS,
} from '../observability/alert-rules';
import { ALERT_TYPES, webhookUrlProblem } from './alerts';
import { webhookUrlShapeProblem } from './webhook-url';

describe('webhookUrlProblem', () => {
  it('accepts a public https URL', () => {
    expect(webhookUrlProblem('https://hooks.example.com/moat?x=1', false)).toBeUndefined();
  });

  it.each([
    ['http', 'http://hooks.example.com/x', 'https'],
    ['loopback', 'https://127.0.0.1/x', 'private or loopback'],
    ['a private address', 'https://10.1.2.3/x', 'private or loopback'],
    ['IPv6 loopback', 'https://[::1]/x', 'private or loopback'],
    ['credentials', 'https://a:b@hooks.example.com/x', 'credentials'],
  ])('refuses %s in production', (_, url, words) => {
    expect(webhookUrlProblem(url, false)).toContain(words);
  });

  it('allows http and loopback only where private egress is allowed (local development, tests)', () => {
    expect(webhookUrlProblem('http://127.0.0.1:9999/hook', true)).toBeUndefined();
    expect(webhookUrlProblem('ftp://127.0.0.1/hook', true)).toContain('https');
  });
});

describe('webhookUrlShapeProblem (the form and the CLI check it before asking the API)', () => {
  it.each([
    ['a relative URL', 'hooks.example.com/x', 'absolute URL'],
    ['another scheme', 'ftp://hooks.example.com/x', 'https'],
    ['credentials', 'https://user:pw@hooks.example.com/x', 'credentials'],
    ['a fragment', 'https://hooks.example.com/x#y', 'fragment'],
    ['a URL past the schema limit', `https://hooks.example.com/${'a'.repeat(2048)}`, '2048'],
  ])('refuses %s', (_, url, words) => {
    expect(webhookUrlShapeProblem(url)).toContain(words);
  });

  it('never refuses what the API accepts, and says the same where private egress is allowed', () => {
    for (const url of [
      'https://hooks.example.com/moat?x=1',
      'http://127.0.0.1:9999/hook',
      'hooks.example.com',
      'ftp://127.0.0.1/hook',
      'https://a:b@hooks.example.com/x',
      'https://hooks.example.com/#frag',
      `https://hooks.example.com/${'a'.repeat(2100)}`,
    ]) {
      expect(webhookUrlShapeProblem(url)).toBe(webhookUrlProblem(url, true));
      if (webhookUrlShapeProblem(url)) expect(webhookUrlProblem(url, false)).toBeDefined();
    }
  });
});

describe('the alert rules in words', () => {
  it('state the numbers the runner uses', () => {
    expect(ALERT_RULES.map((r) => r.type)).toEqual([...ALERT_TYPES]);
    expect(ALERT_RULES[0]!.when).toContain(`at least ${FAILING_MIN} tool calls in 5 minutes`);
    expect(ALERT_RULES[1]!.when).toContain(`at least ${SPIKE_MIN_CALLS} tool calls in 5 minutes`);
    expect(ALERT_CADENCE).toContain('every 15 minutes');
  });
});
