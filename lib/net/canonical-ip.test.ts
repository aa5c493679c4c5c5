import { describe, expect, it } from 'vitest';
import { canonicalIp } from './ip-address';

describe('canonicalIp', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    [' 203.0.113.9 ', '203.0.113.9'],
    ['2001:DB8:0:0:0:0:0:7', '2001:db8::7'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['[2001:db8::7]', '2001:db8::7'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['::FFFF:cb00:7109', '203.0.113.9'],
  ])('writes %s as %s', (text, canonical) => {
    expect(canonicalIp(text)).toBe(canonical);
  });

  it.each(['', 'unknown', '198.51.100.7.1', 'example.com', '1.2.3.4:80'])(
    'has no canonical form for %j',
    (text) => {
      expect(canonicalIp(text)).toBeUndefined();
    },
  );
});
