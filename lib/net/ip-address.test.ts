import { describe, expect, it } from 'vitest';
import { classifyHost, clientNetwork, parseIpAddress, type AddressClass } from './ip-address';

const TABLE: [host: string, cls: AddressClass][] = [
  // IPv4 in every spelling the URL parser accepts
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['2130706433', 'loopback'],
  ['017700000001', 'loopback'],
  ['0x7f.1', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['0177.0.0.1', 'loopback'],
  ['127.1', 'loopback'],
  ['0.0.0.0', 'unspecified'],
  ['0', 'unspecified'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'private'],
  ['169.254.169.254', 'link-local'],
  ['0xa9fea9fe', 'link-local'],
  ['192.0.0.8', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['198.51.100.7', 'reserved'],
  ['203.0.113.9', 'reserved'],
  ['192.88.99.1', 'translation'],
  ['224.0.0.1', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['1.1.1.1', 'public'],
  ['93.184.216.34', 'public'],
  ['172.32.0.1', 'public'],
  ['100.128.0.1', 'public'],
  ['192.0.1.1', 'public'],
  // IPv6
  ['[::]', 'unspecified'],
  ['[::1]', 'loopback'],
  ['[0:0:0:0:0:0:0:1]', 'loopback'],
  ['::1', 'loopback'],
  ['[::ffff:127.0.0.1]', 'loopback'],
  ['[::ffff:7f00:1]', 'loopback'],
  ['[::ffff:10.0.0.1]', 'private'],
  ['[::ffff:a9fe:a9fe]', 'link-local'],
  ['[::ffff:1.1.1.1]', 'public'],
  ['[::7f00:1]', 'loopback'],
  ['[::127.0.0.1]', 'loopback'],
  ['[::a9fe:a9fe]', 'link-local'],
  ['[::a00:1]', 'private'],
  ['[::101:101]', 'reserved'],
  ['[::ffff:0:7f00:1]', 'reserved'],
  ['[64:ff9b::7f00:1]', 'translation'],
  ['[64:ff9b::101:101]', 'translation'],
  ['[64:ff9b:1::1]', 'translation'],
  ['[100::1]', 'reserved'],
  ['[2001::1]', 'translation'],
  ['[2001:0:4136:e378::1]', 'translation'],
  ['[2001:db8::1]', 'reserved'],
  ['[2001:10::1]', 'reserved'],
  ['[2002:7f00:1::1]', 'translation'],
  ['[3fff::1]', 'reserved'],
  ['[fc00::1]', 'private'],
  ['[fd12:3456::1]', 'private'],
  ['[fe80::1]', 'link-local'],
  ['[febf::1]', 'link-local'],
  ['[fec0::1]', 'private'],
  ['[feff::1]', 'private'],
  ['[ff02::1]', 'multicast'],
  ['[5f00::1]', 'reserved'],
  ['[2606:4700::1111]', 'public'],
  ['[2a00:1450:4001::200e]', 'public'],
  ['[2001:4860:4860::8888]', 'public'],
  // names
  ['localhost', 'local-name'],
  ['LOCALHOST.', 'local-name'],
  ['api.localhost', 'local-name'],
  ['printer.local', 'local-name'],
  ['metadata.google.internal', 'local-name'],
  ['nas.home.arpa', 'local-name'],
  ['api.example.com', 'public'],
  ['localhost.example.com', 'public'],
  ['xn--nxasmq6b.com', 'public'],
  ['', 'invalid'],
  ['[::1', 'invalid'],
  ['a b', 'invalid'],
  ['256.0.0.1', 'invalid'],
];

describe('classifyHost', () => {
  it.each(TABLE)('classifies %s as %s', (host, cls) => {
    expect(classifyHost(host)).toBe(cls);
  });

  it('judges a URL’s hostname the same as the raw host text', () => {
    for (const [host, cls] of TABLE) {
      if (cls === 'invalid' || !/^[\w.[\]:]+$/.test(host) || host.startsWith(':')) continue;
      expect(classifyHost(new URL(`http://${host}/`).hostname)).toBe(cls);
    }
  });
});

describe('parseIpAddress', () => {
  it('reads IPv4 in decimal, octal and hex and IPv6 in any spelling', () => {
    expect([...parseIpAddress('0x7f.1')!.bytes]).toEqual([127, 0, 0, 1]);
    expect(parseIpAddress('2001:db8::1')).toMatchObject({ version: 6 });
    expect([...parseIpAddress('[::ffff:1.2.3.4]')!.bytes].slice(10)).toEqual([
      0xff, 0xff, 1, 2, 3, 4,
    ]);
  });

  it('answers undefined for names and garbage', () => {
    expect(parseIpAddress('example.com')).toBeUndefined();
    expect(parseIpAddress('198.51.100.7.3')).toBeUndefined();
    expect(parseIpAddress('not an ip')).toBeUndefined();
  });
});

describe('clientNetwork', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::ffff', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2:0:0:0:1', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', '2001:db8:1:3::/64'],
    ['not-an-address', 'raw:not-an-address'],
    [null, 'unknown'],
    ['', 'unknown'],
  ])('groups %s as %s', (ip, network) => {
    expect(clientNetwork(ip)).toBe(network);
  });
});
