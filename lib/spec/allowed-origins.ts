// ServerSpec `allowedOrigins` (DESIGN §9 "Browser clients"): the web origins, besides the
// dashboard's own, whose pages may call the server from a browser. The runner compares them with
// the request's `Origin` header byte for byte, so each entry must already be in the form a
// browser sends (RFC 6454 §6.2: scheme "://" host [":" port], lowercase, default port omitted, no
// path and no trailing slash).
import { z } from 'zod';

/** Hosts where plain http is still a secure context (W3C Secure Contexts §3.1, RFC 8252 §8.3). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const MAX_ALLOWED_ORIGINS = 32;

export const OriginSchema = z
  .string()
  .max(300)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'an origin such as https://app.example.com' });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'an origin starts with https://' });
      return;
    }
    if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
      ctx.addIssue({
        code: 'custom',
        message: 'http:// is allowed only for localhost, 127.0.0.1 and [::1]; use https://',
      });
      return;
    }
    if (url.origin !== value) {
      ctx.addIssue({
        code: 'custom',
        message: `write it exactly as a browser sends it: ${url.origin} (scheme, host and port only, lowercase, no path or trailing slash)`,
      });
    }
  });

export const AllowedOriginsSchema = z
  .array(OriginSchema)
  .max(MAX_ALLOWED_ORIGINS)
  .refine((list) => new Set(list).size === list.length, { message: 'an origin is listed twice' })
  .describe(
    'Web origins, besides the dashboard, whose pages may call the server from a browser (CORS); any other Origin gets 403. Exact origins as a browser sends them: https://host[:port], or http:// on localhost, 127.0.0.1 and [::1].',
  );
