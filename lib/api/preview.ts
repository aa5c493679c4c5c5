// POST /v1/servers/preview (wizard step 1) and GET /v1/slugs/:slug. The proposed spec may not
// validate yet: `issues` lists what stops it from being built as is.
import { z } from 'zod';
import type { ServerSpecInput } from '../spec/server-spec';
import { FieldIssueSchema } from './errors';

export const SlugAvailabilitySchema = z.discriminatedUnion('available', [
  z.strictObject({ slug: z.string(), available: z.literal(true) }),
  z.strictObject({
    slug: z.string(),
    available: z.literal(false),
    reason: z.enum(['invalid', 'reserved', 'taken']),
    message: z.string(),
  }),
]);

/** One operation of an OpenAPI document, and whether it became a tool. */
export const OperationSummarySchema = z.strictObject({
  /** operationId, or "METHOD /path" when the document has none. */
  id: z.string(),
  method: z.string(),
  path: z.string(),
  summary: z.string().optional(),
  toolName: z.string(),
  selected: z.boolean(),
  /** false when Moat cannot call it (see `reason`). */
  supported: z.boolean(),
  reason: z.string().optional(),
});

/** A draft ServerSpec: an object, checked against ServerSpecSchema by `issues`, not here. */
const ProposedSpecSchema = z.custom<ServerSpecInput>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
);

export const PreviewSchema = z.strictObject({
  source: z.enum(['openapi', 'prompt', 'spec']),
  spec: ProposedSpecSchema,
  warnings: z.array(z.string()),
  /** OpenAPI only. */
  operations: z.array(OperationSummarySchema).optional(),
  issues: z.array(FieldIssueSchema),
  scopes: z.array(z.string()),
  slug: SlugAvailabilitySchema,
});

export type SlugAvailability = z.infer<typeof SlugAvailabilitySchema>;
export type OperationSummary = z.infer<typeof OperationSummarySchema>;
export type Preview = z.infer<typeof PreviewSchema>;
