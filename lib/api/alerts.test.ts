import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from './alerts';

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
