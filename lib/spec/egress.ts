// Egress rules shared by spec validation and the runner's outbound guard (DESIGN §4).
import { classifyHost } from '../net/ip-address';

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
 * True unless `hostname` (a URL's hostname) is a public address or an ordinary DNS name: IP
 * literals in loopback, private, link-local, CGNAT, translation (NAT64, 6to4, Teredo), multicast,
 * documentation or reserved space in any spelling, and names that are local by definition
 * (`localhost`, `*.local`, `*.internal`, …). One classifier for every egress decision:
 * `lib/net/ip-address.ts`.
 */
export function isPrivateHost(hostname: string): boolean {
  return classifyHost(hostname) !== 'public';
}
