// Per-user downstream OAuth connections (issue 13, DESIGN §9, docs/connections.md): a ServerSpec
// declares the provider; each end user links their own account, and tools send that user's token
// with `{{connections.<name>.access_token}}` in a header or the body (never in the URL: RFC 6750
// §2.3 query tokens leak into logs).
import { z } from 'zod';

const CONNECTION_NAME_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
// RFC 6749 §3.3 scope-token: printable ASCII except space, " and \.
const PROVIDER_SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/;

/** `{{connections.github.access_token}}` → `github`. */
export const CONNECTION_REF = /\{\{\s*connections\.([A-Za-z0-9_]+)\.access_token\s*\}\}/g;

const httpsUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((u) => !new URL(u).hash, 'must not have a fragment');

export const ConnectionSchema = z
  .object({
    name: z
      .string()
      .regex(CONNECTION_NAME_PATTERN, 'lowercase letters, digits and _, ≤ 40')
      .describe('Tools refer to it as {{connections.<name>.access_token}} in headers or body'),
    title: z
      .string()
      .min(1)
      .max(100)
      .describe('The provider as users read it: "acts on your <title> account"'),
    // Either the two endpoints, or an issuer whose RFC 8414 / OpenID Connect Discovery metadata
    // names them (read by the auth Worker when a user links the connection).
    issuer: httpsUrl
      .optional()
      .describe('Instead of the endpoints: read them from its RFC 8414 / OpenID metadata'),
    authorizationUrl: httpsUrl.optional(),
    tokenUrl: httpsUrl.optional(),
    revocationUrl: httpsUrl
      .optional()
      .describe('RFC 7009: called when a user removes the connection'),
    scopes: z
      .array(z.string().regex(PROVIDER_SCOPE))
      .max(50)
      .default([])
      .describe("The provider's scopes to ask each user for"),
    clientId: z
      .string()
      .min(1, 'enter the client ID of the OAuth app registered at the provider')
      .max(500)
      .describe(
        'The client ID of your OAuth app at the provider; its redirect URI is {ISSUER}/connections/callback',
      ),
    // The name of a server secret holding the client secret; absent for a public client (PKCE).
    clientSecret: z
      .string()
      .regex(SECRET_NAME_PATTERN)
      .optional()
      .describe(
        'The name of a declared secret holding the client secret; none for a public client',
      ),
    // Extra authorization request parameters, e.g. { access_type: 'offline', prompt: 'consent' }.
    authorizationParams: z
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.string().max(500))
      .refine((p) => Object.keys(p).length <= 10, 'at most 10 parameters')
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const endpoints = c.authorizationUrl !== undefined || c.tokenUrl !== undefined;
    if (c.issuer === undefined && !(c.authorizationUrl && c.tokenUrl)) {
      ctx.addIssue({
        code: 'custom',
        path: c.authorizationUrl ? ['tokenUrl'] : ['authorizationUrl'],
        message: 'give either "issuer" or both "authorizationUrl" and "tokenUrl"',
      });
    }
    if (c.issuer !== undefined && endpoints && !(c.authorizationUrl && c.tokenUrl)) {
      ctx.addIssue({
        code: 'custom',
        path: ['issuer'],
        message: 'with "issuer", give both endpoints or neither',
      });
    }
    for (const reserved of [
      'client_id',
      'redirect_uri',
      'state',
      'code_challenge',
      'code_challenge_method',
      'response_type',
      'scope',
    ]) {
      if (c.authorizationParams && reserved in c.authorizationParams) {
        ctx.addIssue({
          code: 'custom',
          path: ['authorizationParams', reserved],
          message: `"${reserved}" is set by Moat`,
        });
      }
    }
  })
  .describe('A provider where each end user links their own account (docs: Per-user connections)');

export type Connection = z.output<typeof ConnectionSchema>;

/** The connection names a list of header/body templates refers to. */
export function referencedConnections(templates: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const t of templates) for (const m of t.matchAll(CONNECTION_REF)) out.add(m[1]!);
  return out;
}
