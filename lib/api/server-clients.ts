// GET /v1/servers/:id/clients: every OAuth client that got a token for one server — people's
// clients (authorization_code) and machine clients (client_credentials) — with its connection
// health (docs/observability.md "Connection health"), and the server's per-user downstream
// connections with their status.
import { z } from 'zod';
import { EpochMsSchema, NullableEpochMsSchema } from './time';

export const CLIENT_HEALTH = ['healthy', 'never_refreshes', 'stale', 'failing', 'revoked'] as const;
export type ClientHealthVerdict = (typeof CLIENT_HEALTH)[number];

export const ServerClientSchema = z.strictObject({
  clientId: z.string(),
  name: z.string().nullable(),
  /** `machine` for client_credentials clients; people's clients are `dcr` or `cimd`. */
  kind: z.enum(['dcr', 'cimd', 'machine']),
  /** The CIMD document's host, "moat" for first-party clients, else "unverified". */
  domain: z.string().nullable(),
  health: z.enum(CLIENT_HEALTH),
  /** The verdict in plain words, for the owner. */
  healthReason: z.string(),
  firstTokenAt: NullableEpochMsSchema,
  lastTokenAt: NullableEpochMsSchema,
  lastRefreshAt: NullableEpochMsSchema,
  refreshCount: z.number().int().nonnegative(),
  /** Authorization-code redemptions: one per (re-)authorization by a user. */
  authorizationCount: z.number().int().nonnegative(),
  /** The last request the runner accepted (written at most every few minutes). */
  lastUsedAt: NullableEpochMsSchema,
  last401At: NullableEpochMsSchema,
  /** Why: expired, revoked, wrong_audience, not_yet_valid, wrong_issuer, missing_claim, … */
  last401Reason: z.string().nullable(),
  last403At: NullableEpochMsSchema,
  /** The scope the refused call needed. */
  last403Scope: z.string().nullable(),
  /** Live grants (users, or the machine grant) and how many distinct users they are for. */
  liveGrants: z.number().int().nonnegative(),
  users: z.number().int().nonnegative(),
});

export const USER_CONNECTION_STATUS = ['active', 'reconnect_needed', 'revoked'] as const;

/** A user's downstream connection (ServerSpec `connections`, issue 13) for this server. */
export const ServerUserConnectionSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  user: z.strictObject({ id: z.string(), email: z.string().nullable() }),
  status: z.enum(USER_CONNECTION_STATUS),
  /** Why, in words (never a token). */
  reason: z.string(),
  lastUsedAt: NullableEpochMsSchema,
  lastRefreshedAt: NullableEpochMsSchema,
  accessExpiresAt: NullableEpochMsSchema,
  createdAt: EpochMsSchema,
});

export const ServerClientListSchema = z.strictObject({
  clients: z.array(ServerClientSchema),
  connections: z.array(ServerUserConnectionSchema),
});

export type ServerClient = z.infer<typeof ServerClientSchema>;
export type ServerUserConnection = z.infer<typeof ServerUserConnectionSchema>;
export type ServerClientList = z.infer<typeof ServerClientListSchema>;
