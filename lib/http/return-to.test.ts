import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to';

const ORIGIN = 'https://auth.example.com';

describe('safeReturnTo', () => {
  it.each([
    ['a normalised network-path reference', '/.//evil.example/x'],
    ['a parent segment that normalises to //', '/..//evil.example/x'],
    ['encoded dot segments that normalise to //', '/%2e//evil.example'],
    ['encoded parent segments that normalise to //', '/%2e%2e//evil.example'],
    ['a protocol-relative URL', '//evil.example/x'],
    ['a backslash after the slash', '/\\evil.example'],
    ['a backslash after a dot segment', '/./\\evil.example'],
    ['escaped slashes', '\\/\\/evil.example'],
    ['a tab between the slashes', '/\t/evil.example'],
    ['a newline between the slashes', '/\n/evil.example'],
    ['a scheme without slashes', 'https:evil.example'],
    ['an absolute URL', 'https://evil.example/'],
    ['an absolute URL on our own origin', `${ORIGIN}/servers`],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a relative path', 'servers'],
    ['an encoded-slash prefix that is not a path', '%2F%2Fevil.example'],
    ['an empty value', ''],
    ['a non-string', ['/a', '/b']],
    ['an over-long value', `/${'a'.repeat(9000)}`],
  ])('refuses %s', (_, value) => {
    expect(safeReturnTo(value, ORIGIN)).toBe('/');
  });

  it.each([
    ['a plain path', '/servers', '/servers'],
    ['a path with query and fragment', '/x?a=1&b=2#top', '/x?a=1&b=2#top'],
    [
      'an OAuth request',
      '/authorize?client_id=cl_x&state=a%26b',
      '/authorize?client_id=cl_x&state=a%26b',
    ],
    ['dot segments inside our origin', '/a/./b/../c', '/a/c'],
    ['encoded slashes (a path, not a host)', '/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['an encoded tab (a path, not a host)', '/%09/evil.example', '/%09/evil.example'],
  ])('keeps %s', (_, value, expected) => {
    expect(safeReturnTo(value, ORIGIN)).toBe(expected);
    expect(new URL(expected, ORIGIN).origin).toBe(ORIGIN);
  });

  it('answers the caller’s fallback for a refused value', () => {
    expect(safeReturnTo('//evil.example', ORIGIN, '/servers')).toBe('/servers');
  });
});
