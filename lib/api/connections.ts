// Per-user connections on the /v1 wire (docs/connections.md, docs/api.md). What a user has linked,
// and what a server's owner may know about its connections: counts and states, never a token.
import { z } from 'zod';
import { EpochMsSchema } from './time';

export const CONNECTION_STATUSES = ['active', 'reconnect_needed', 'revoked'] as const;
export const ConnectionStatusSchema = z.enum(CONNECTION_STATUSES);

/** GET /v1/me/connections: one linked account. */
export const MyConnectionSchema = z.strictObject({
  id: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  serverSlug: z.string(),
  /** The ServerSpec connection's name and title ("github", "GitHub"). */
  name: z.string(),
  title: z.string(),
  status: ConnectionStatusSchema,
  /** Why a reconnect is needed, in words. */
  statusReason: z.string().optional(),
  /** What the provider granted (RFC 6749 §5.1). */
  scope: z.string().optional(),
  createdAt: EpochMsSchema,
  lastUsedAt: EpochMsSchema.optional(),
  lastRefreshedAt: EpochMsSchema.optional(),
});

export const MyConnectionListSchema = z.strictObject({
  connections: z.array(MyConnectionSchema),
});

/** GET /v1/servers/:id/connections (owner/admin): each declared connection and its users. */
export const ServerConnectionSchema = z.strictObject({
  name: z.string(),
  title: z.string(),
  /** The redirect URI to register at the provider: `{ISSUER}/connections/callback`. */
  redirectUri: z.string(),
  /** Users with a row for this connection, in any state. */
  linkedUsers: z.number().int().nonnegative(),
  /** Of those, how many must reconnect (status `reconnect_needed` or `revoked`). */
  needReconnect: z.number().int().nonnegative(),
});

export const ServerConnectionListSchema = z.strictObject({
  connections: z.array(ServerConnectionSchema),
});

export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;
export type MyConnection = z.infer<typeof MyConnectionSchema>;
export type MyConnectionList = z.infer<typeof MyConnectionListSchema>;
export type ServerConnection = z.infer<typeof ServerConnectionSchema>;
export type ServerConnectionList = z.infer<typeof ServerConnectionListSchema>;
