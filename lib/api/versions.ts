// GET /v1/servers/:id/versions and /v1/servers/:id/versions/:version. Versions are immutable.
import { z } from 'zod';
import { ServerSpecSchema } from '../spec/server-spec';
import { EpochMsSchema } from './time';

export const VersionSummarySchema = z.strictObject({
  serverId: z.string(),
  version: z.number().int().positive(),
  createdBy: z.string(),
  createdAt: EpochMsSchema,
  /** Why it was published, e.g. "rollback to version 2"; null for an ordinary publish. */
  note: z.string().nullable(),
});

export const VersionListSchema = z.strictObject({
  /** The version the runner serves now; null for a draft. */
  current: z.number().int().positive().nullable(),
  /** Newest first. */
  versions: z.array(VersionSummarySchema),
});

export const VersionSchema = VersionSummarySchema.extend({ spec: ServerSpecSchema });

export type VersionSummary = z.infer<typeof VersionSummarySchema>;
export type VersionList = z.infer<typeof VersionListSchema>;
export type Version = z.infer<typeof VersionSchema>;
