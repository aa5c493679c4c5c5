// A grant is one client's standing access to one server, for a user (authorization_code) or for
// a machine client (client_credentials). Both endpoints name its times the same way:
// `lastTokenAt` is when the AS last issued a token for it — the AS never sees a token's use.
import { z } from 'zod';
import { EpochMsSchema, NullableEpochMsSchema } from './time';

/** GET /v1/me/grants: the caller's connected apps. */
export const ConnectedAppSchema = z.strictObject({
  id: z.string(),
  client: z.strictObject({
    id: z.string(),
    name: z.string().nullable(),
    /** CIMD clients (an https client_id) and Moat's own; DCR clients name themselves. */
    verified: z.boolean(),
  }),
  server: z.strictObject({
    id: z.string(),
    /** null for the control plane (`/v1` itself). */
    slug: z.string().nullable(),
    name: z.string(),
  }),
  resource: z.string(),
  /** The toolset the grant is for (its `resource` is `{RUNNER_ORIGIN}/{slug}/{toolset}/mcp`). */
  toolset: z.string().optional(),
  scope: z.string(),
  createdAt: EpochMsSchema,
  lastTokenAt: NullableEpochMsSchema,
  expiresAt: NullableEpochMsSchema,
});

export const ConnectedAppListSchema = z.strictObject({ grants: z.array(ConnectedAppSchema) });

const PersonSchema = z.strictObject({ id: z.string(), email: z.string().nullable() });

/** GET /v1/servers/:id/grants: every live grant to one server. */
export const ServerGrantSchema = z.strictObject({
  id: z.string(),
  client: z.strictObject({
    id: z.string(),
    name: z.string().nullable(),
    kind: z.enum(['cimd', 'dcr']),
    /** The CIMD document's host, "moat" for first-party clients, else "unverified". */
    domain: z.string().nullable(),
  }),
  grantType: z.enum(['authorization_code', 'client_credentials']),
  /** The signed-in user of an authorization_code grant. */
  user: PersonSchema.nullable(),
  /** Who registered a machine client (client_credentials). */
  owner: PersonSchema.nullable(),
  /** The toolset the grant is for; absent for the whole server. */
  toolset: z.string().optional(),
  scope: z.string(),
  createdAt: EpochMsSchema,
  lastTokenAt: NullableEpochMsSchema,
  lastRefreshAt: NullableEpochMsSchema,
  expiresAt: NullableEpochMsSchema,
});

export const ServerGrantListSchema = z.strictObject({ grants: z.array(ServerGrantSchema) });

export type ConnectedApp = z.infer<typeof ConnectedAppSchema>;
export type ConnectedAppList = z.infer<typeof ConnectedAppListSchema>;
export type ServerGrant = z.infer<typeof ServerGrantSchema>;
export type ServerGrantList = z.infer<typeof ServerGrantListSchema>;
