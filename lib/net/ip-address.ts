// What kind of address a host names, for every egress decision (the runner's tool calls, the AS's
// client metadata fetch) and for grouping client addresses. Ranges from the IANA IPv4 and IPv6
// Special-Purpose Address Registries (RFC 6890 and its updates). Input is normalised by the WHATWG
// URL host parser first, so decimal, octal and hex IPv4 (`2130706433`, `017700000001`, `0x7f.1`)
// and every IPv6 spelling are judged as the address `fetch` would actually reach.

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'multicast'
  | 'translation'
  | 'reserved'
  | 'local-name'
  | 'invalid';

export type IpAddress =
  { version: 4; bytes: Uint8Array } | { version: 6; bytes: Uint8Array /* 16 bytes */ };

type Range = readonly [prefix: readonly number[], bits: number, cls: AddressClass];

const V4_RANGES: readonly Range[] = [
  [[0], 8, 'unspecified'], // "this network" (RFC 791)
  [[10], 8, 'private'], // RFC 1918
  [[100, 64], 10, 'private'], // shared address space, CGNAT (RFC 6598)
  [[127], 8, 'loopback'],
  [[169, 254], 16, 'link-local'], // includes cloud metadata endpoints
  [[172, 16], 12, 'private'],
  [[192, 0, 0], 24, 'reserved'], // IETF protocol assignments (RFC 6890)
  [[192, 0, 2], 24, 'reserved'], // TEST-NET-1 (RFC 5737)
  [[192, 88, 99], 24, 'translation'], // 6to4 relay anycast (RFC 7526)
  [[192, 168], 16, 'private'],
  [[198, 18], 15, 'reserved'], // benchmarking (RFC 2544)
  [[198, 51, 100], 24, 'reserved'], // TEST-NET-2
  [[203, 0, 113], 24, 'reserved'], // TEST-NET-3
  [[224], 4, 'multicast'],
  [[240], 4, 'reserved'], // incl. 255.255.255.255
];

// Byte prefixes of IPv6 ranges, checked in order; only 2000::/3 is global unicast (RFC 4291 §2.4).
const V6_RANGES: readonly Range[] = [
  [[0x00, 0x64, 0xff, 0x9b], 96, 'translation'], // NAT64 well-known prefix (RFC 6052)
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, 'translation'], // NAT64 local-use (RFC 8215)
  [[0x01, 0x00], 64, 'reserved'], // discard-only (RFC 6666)
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'reserved'], // documentation (RFC 3849)
  [[0x20, 0x01, 0x00, 0x00], 32, 'translation'], // Teredo (RFC 4380)
  [[0x20, 0x01], 23, 'reserved'], // IETF protocol assignments (RFC 2928)
  [[0x20, 0x02], 16, 'translation'], // 6to4 (RFC 3056), reaches any IPv4 through a relay
  [[0x3f, 0xff], 20, 'reserved'], // documentation (RFC 9637)
  [[0x20], 3, 'public'],
  [[0xfc], 7, 'private'], // unique local (RFC 4193)
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'private'], // site-local, deprecated (RFC 3879) but still routed by some
  [[0xff], 8, 'multicast'],
];

/** Names that only ever mean this host or a local network (RFC 6761 §6.3, RFC 6762, RFC 8375). */
const LOCAL_NAME = /(?:^|\.)(?:localhost|local|internal|home\.arpa|localdomain)$/;

function inRange(bytes: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const mask = bits - i * 8 >= 8 ? 0xff : (0xff << (8 - (bits - i * 8))) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function classOf(bytes: Uint8Array, ranges: readonly Range[], fallback: AddressClass) {
  return ranges.find(([prefix, bits]) => inRange(bytes, prefix, bits))?.[2] ?? fallback;
}

function parseV6Words(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (part: string | undefined) => (part ? part.split(':') : []);
  const head = words(halves[0]);
  const tail = words(halves[1]);
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  const bytes = new Uint8Array(16);
  for (const [i, w] of all.entries()) {
    if (!/^[0-9a-f]{1,4}$/.test(w)) return undefined;
    const n = parseInt(w, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 0xff;
  }
  return bytes;
}

/** The canonical host the URL parser makes of `host` (a hostname, bracketed or bare IPv6). */
function canonicalHost(host: string): string | undefined {
  const h = host.trim();
  const bracketed = h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
  try {
    return new URL(`http://${bracketed}/`).hostname;
  } catch {
    return undefined;
  }
}

/** An IP literal in any spelling the URL parser accepts, or undefined for names and garbage. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const host = canonicalHost(text);
  if (host === undefined) return undefined;
  if (host.startsWith('[')) {
    const bytes = parseV6Words(host.slice(1, -1));
    return bytes && { version: 6, bytes };
  }
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  return v4 ? { version: 4, bytes: new Uint8Array(v4.slice(1).map(Number)) } : undefined;
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96) or -compatible (::/96) address. */
function embeddedV4(bytes: Uint8Array): Uint8Array | undefined {
  if (!bytes.subarray(0, 10).every((b) => b === 0)) return undefined;
  const mapped = bytes[10] === 0xff && bytes[11] === 0xff;
  const compatible = bytes[10] === 0 && bytes[11] === 0;
  return mapped || compatible ? bytes.subarray(12) : undefined;
}

export function classifyAddress(ip: IpAddress): AddressClass {
  if (ip.version === 4) return classOf(ip.bytes, V4_RANGES, 'public');
  const b = ip.bytes;
  if (b.every((x) => x === 0)) return 'unspecified';
  if (b.subarray(0, 15).every((x) => x === 0) && b[15] === 1) return 'loopback';
  const v4 = embeddedV4(b);
  if (v4) {
    const inner = classOf(v4, V4_RANGES, 'public');
    // ::ffff:a.b.c.d reaches a.b.c.d; the deprecated ::a.b.c.d form is refused outright.
    return b[10] === 0xff ? inner : inner === 'public' ? 'reserved' : inner;
  }
  return classOf(b, V6_RANGES, 'reserved');
}

/**
 * What `hostname` (a URL's hostname, or any host text) names: an address class for IP literals,
 * `local-name` for names that are local by definition, `public` for other DNS names (not
 * resolved here), `invalid` for what the URL parser refuses.
 */
export function classifyHost(hostname: string): AddressClass {
  const host = canonicalHost(hostname);
  if (host === undefined || host === '') return 'invalid';
  const ip = parseIpAddress(host);
  if (ip) return classifyAddress(ip);
  return LOCAL_NAME.test(host.replace(/\.$/, '')) ? 'local-name' : 'public';
}

/**
 * The network a client controls, as a rate-limit key: an IPv4 address (also when IPv4-mapped), or
 * the /64 of an IPv6 address (one subscriber gets a whole /64, RFC 6177, so counting single IPv6
 * addresses would count nothing). Unparsable text is kept as is; no address shares one bucket.
 */
export function clientNetwork(ip: string | null | undefined): string {
  if (!ip) return 'unknown';
  const parsed = parseIpAddress(ip);
  if (!parsed) return `raw:${ip.slice(0, 64)}`;
  const b = parsed.bytes;
  if (parsed.version === 4) return [...b].join('.');
  const v4 = embeddedV4(b);
  if (v4 && b[10] === 0xff) return [...v4].join('.'); // ::ffff:a.b.c.d is that IPv4 client
  const words = Array.from({ length: 4 }, (_, i) =>
    ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16),
  );
  return `${words.join(':')}::/64`;
}

/**
 * One spelling per address, so one client is one string in the audit log: IPv4 dotted decimal
 * (also for an IPv4-mapped IPv6 address, which is that IPv4 client), IPv6 as the URL serializer
 * writes it (lowercase, longest zero run compressed: RFC 5952 §4). Undefined for non-addresses.
 */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIpAddress(text);
  if (!ip) return undefined;
  const v4 = ip.version === 4 ? ip.bytes : ip.bytes[10] === 0xff ? embeddedV4(ip.bytes) : undefined;
  if (v4) return [...v4].join('.');
  return canonicalHost(text)?.slice(1, -1);
}
