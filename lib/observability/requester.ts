// Who is connecting, for grouping the connection recorder's steps before a client id is known
// (docs/observability.md "Connection recorder"): a short hash of the client address and user
// agent, so neither is stored. The address rule is the auth Worker's (request-meta.ts):
// `CF-Connecting-IP`, else `X-Real-IP`, canonicalised; without either (local runs) only the user
// agent remains, so two local clients with the same user agent look like one requester.
import { sha256Hex } from '../crypto/hash';
import { canonicalIp } from '../net/ip-address';

export async function requesterKey(headers: Headers): Promise<string> {
  const raw = headers.get('cf-connecting-ip')?.trim() || headers.get('x-real-ip')?.trim() || '';
  const ip = raw ? (canonicalIp(raw) ?? raw.slice(0, 64)) : '';
  return requesterKeyOf(ip, headers.get('user-agent'));
}

/** The same key from an address already in that canonical form (the auth Worker's RequestMeta). */
export async function requesterKeyOf(
  ip: string | undefined,
  userAgent: string | null | undefined,
): Promise<string> {
  const ua = (userAgent ?? '').slice(0, 512);
  return (await sha256Hex(`${ip ?? ''}\n${ua}`)).slice(0, 24);
}
