// Who sent a request, as audit events and rate limits record it: one rule for every surface
// (the Authorization Server, /v1 and the pages).
import { canonicalIp } from '../../../lib/net/ip-address';

export type RequestMeta = { ip: string | undefined; userAgent: string | undefined };

const MAX_RAW_ADDRESS = 64;

/**
 * The client address is `CF-Connecting-IP` (Cloudflare's edge sets it and overwrites whatever the
 * client sent), else (absent or empty) `X-Real-IP` (a local proxy's), in canonical form (lib/net/ip-address.ts), so
 * one client is one string whichever header or spelling carried it. A value that is no address
 * is kept, trimmed and cut short, rather than pooled with every other unknown client.
 */
export function clientAddress(headers: Headers): string | undefined {
  const raw = headers.get('cf-connecting-ip')?.trim() || headers.get('x-real-ip')?.trim();
  if (!raw) return undefined;
  return canonicalIp(raw) ?? raw.slice(0, MAX_RAW_ADDRESS);
}

export function requestMeta(req: Request): RequestMeta {
  return {
    ip: clientAddress(req.headers),
    userAgent: req.headers.get('user-agent') ?? undefined,
  };
}
