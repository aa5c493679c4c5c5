import { describe, expect, it } from 'vitest';
import { egressAllows, isPrivateHost } from './egress';

describe('egressAllows', () => {
  it('allows any port for a bare host and only the named port otherwise', () => {
    expect(egressAllows(['127.0.0.1'], '127.0.0.1:4567')).toBe(true);
    expect(egressAllows(['api.example.com'], 'api.example.com')).toBe(true);
    expect(egressAllows(['api.example.com:8443'], 'api.example.com:8443')).toBe(true);
    expect(egressAllows(['api.example.com:8443'], 'api.example.com:9000')).toBe(false);
    expect(egressAllows(['api.example.com:8443'], 'api.example.com')).toBe(false);
  });

  it('does not match subdomains or suffixes', () => {
    expect(egressAllows(['example.com'], 'evil.example.com')).toBe(false);
    expect(egressAllows(['example.com'], 'example.com.evil.net')).toBe(false);
  });
});

describe('isPrivateHost', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    'localhost',
    'api.localhost',
    '[::1]',
    '[fd00::1]',
    '[fe80::1]',
    '[::ffff:7f00:1]',
    '[::7f00:1]',
    '[::a9fe:a9fe]',
    '[::ffff:0:7f00:1]',
    '[64:ff9b::7f00:1]',
    '[fec0::1]',
    '[2002:7f00:1::1]',
    '[2001::1]',
    '[100::1]',
    '198.51.100.7',
    '203.0.113.9',
    'metadata.google.internal',
    '2130706433',
    '0x7f.1',
    '017700000001',
  ])('refuses %s', (h) => {
    expect(isPrivateHost(h)).toBe(true);
  });

  it.each(['93.184.216.34', 'api.example.com', '[2606:4700::1111]', '1.1.1.1'])(
    'allows %s',
    (h) => {
      expect(isPrivateHost(h)).toBe(false);
    },
  );

  it('classifies what the URL parser normalizes (decimal and mapped forms)', () => {
    expect(isPrivateHost(new URL('http://2130706433/').hostname)).toBe(true);
    expect(isPrivateHost(new URL('http://[::ffff:127.0.0.1]/').hostname)).toBe(true);
    expect(isPrivateHost(new URL('http://0x7f.1/').hostname)).toBe(true);
  });
});
