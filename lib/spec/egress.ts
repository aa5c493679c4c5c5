// Egress rules shared by spec validation and the runner's outbound guard (DESIGN §4).

/**
 * Whether `hostPort` (lowercase "host" or "host:port" as in a URL's `host`) may be reached.
 * An egress entry without a port allows any port on that host; with a port, only that port.
 */
export function egressAllows(egress: readonly string[], hostPort: string): boolean {
  const target = hostPort.toLowerCase();
  const hostOnly = stripPort(target);
  return egress.some((entry) => {
    const e = entry.toLowerCase();
    return e === target || (stripPort(e) === e && e === hostOnly);
  });
}

function stripPort(hostPort: string): string {
  if (hostPort.startsWith('[')) return hostPort.slice(0, hostPort.indexOf(']') + 1);
  const i = hostPort.lastIndexOf(':');
  return i === -1 ? hostPort : hostPort.slice(0, i);
}

/**
 * True for IP literals that name loopback, private (RFC 1918, RFC 4193), link-local, CGNAT,
 * unspecified, multicast or reserved space, and for `localhost` names (RFC 6761 §6.3).
 * `hostname` is a URL's `hostname` (IPv6 in brackets, already normalized by the URL parser).
 */
export function isPrivateHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h.startsWith('[')) return isPrivateIPv6(h.slice(1, -1));
  const v4 = parseIPv4(h);
  return v4 !== undefined && isPrivateIPv4(v4);
}

function parseIPv4(h: string): number[] | undefined {
  const parts = h.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const n = parts.map(Number);
  return n.every((x) => x <= 255) ? n : undefined;
}

function isPrivateIPv4([a, b]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a! >= 224
  );
}

function isPrivateIPv6(h: string): boolean {
  if (h === '::' || h === '::1') return true;
  // IPv4-mapped / -compatible (::ffff:a.b.c.d is normalized by URL to ::ffff:xxxx:xxxx).
  const mapped = /^::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return isPrivateIPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  const first = parseInt(h.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xff00) === 0xff00 || // multicast
    h.startsWith('64:ff9b:') // NAT64 can reach IPv4 private space
  );
}
