// GET/POST /v1/servers, GET/PATCH /v1/servers/:id (DESIGN §3 "Servers").
import { z } from 'zod';
import { ServerSpecSchema } from '../spec/server-spec';
import { SecretStatusSchema } from './secrets';
import { EpochMsSchema } from './time';

export const VisibilitySchema = z.enum(['private', 'org', 'public']);

export const ServerSummarySchema = z.strictObject({
  id: z.string(),
  orgId: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  visibility: VisibilitySchema,
  /** The MCP endpoint, `{RUNNER_ORIGIN}/{slug}/mcp`: the RFC 8707 resource and the token `aud`. */
  url: z.string(),
  /** The published version the runner serves; null for a draft (its first build has not passed). */
  version: z.number().int().positive().nullable(),
  createdBy: z.string(),
  createdAt: EpochMsSchema,
  updatedAt: EpochMsSchema,
});

export const ServerListSchema = z.strictObject({ servers: z.array(ServerSummarySchema) });

/** A server with a published version: its spec, its PRM URL and its declared secrets. */
export const PublishedServerSchema = ServerSummarySchema.extend({
  version: z.number().int().positive(),
  metadataUrl: z.string(),
  spec: ServerSpecSchema,
  secrets: z.array(SecretStatusSchema),
});

/** A draft (no published version yet): nothing to serve, so no spec and no secrets. */
export const DraftServerSchema = ServerSummarySchema.extend({
  version: z.null(),
  spec: z.null(),
  secrets: z.array(SecretStatusSchema).length(0),
});

export const ServerDetailSchema = z.union([PublishedServerSchema, DraftServerSchema]);

export type Visibility = z.infer<typeof VisibilitySchema>;
export type ServerSummary = z.infer<typeof ServerSummarySchema>;
export type ServerList = z.infer<typeof ServerListSchema>;
export type PublishedServer = z.infer<typeof PublishedServerSchema>;
export type DraftServer = z.infer<typeof DraftServerSchema>;
export type ServerDetail = z.infer<typeof ServerDetailSchema>;
