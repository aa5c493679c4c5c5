import { describe, expect, it } from 'vitest';
import { matchRedirectUri, redirectUriProblem } from './redirect-uri';

describe('redirectUriProblem', () => {
  it.each([
    'https://app.example/cb',
    'http://127.0.0.1/cb',
    'http://localhost:3000/cb',
    'http://[::1]:8080/cb',
    'claude://oauth/callback',
    'com.example.app:/oauth2redirect',
  ])('accepts %s', (uri) => expect(redirectUriProblem(uri)).toBeUndefined());

  it.each([
    ['javascript:alert(1)', /refused scheme/],
    ['data:text/html,x', /refused scheme/],
    ['file:///etc/passwd', /refused scheme/],
    ['https://app.example/cb#x', /fragment/],
    ['http://app.example/cb', /non-loopback/],
    ['http://127.0.0.1.evil.example/cb', /non-loopback/],
    ['/relative', /absolute/],
  ])('refuses %s', (uri, why) => expect(redirectUriProblem(uri)).toMatch(why));
});

describe('matchRedirectUri', () => {
  const registered = ['http://127.0.0.1:33418/callback', 'https://app.example/cb'];

  it('matches exactly', () => {
    expect(matchRedirectUri('https://app.example/cb', registered)).toBe(true);
  });

  it('ignores the port of a loopback URI only (RFC 8252 §7.3)', () => {
    expect(matchRedirectUri('http://127.0.0.1:5555/callback', registered)).toBe(true);
    expect(matchRedirectUri('http://127.0.0.1/callback', registered)).toBe(true);
    expect(matchRedirectUri('https://app.example:444/cb', registered)).toBe(false);
  });

  it('does not mix loopback hosts, paths or queries', () => {
    expect(matchRedirectUri('http://localhost:33418/callback', registered)).toBe(false);
    expect(matchRedirectUri('http://127.0.0.1:33418/callback/x', registered)).toBe(false);
    expect(matchRedirectUri('http://127.0.0.1:33418/callback?a=1', registered)).toBe(false);
    expect(matchRedirectUri('http://u:p@127.0.0.1:33418/callback', registered)).toBe(false);
  });

  it('does not accept a prefix or a different case of the path', () => {
    expect(matchRedirectUri('https://app.example/cb/', registered)).toBe(false);
    expect(matchRedirectUri('https://app.example/CB', registered)).toBe(false);
  });
});
