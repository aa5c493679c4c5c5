// POST /v1/builds, POST/GET /v1/servers/:id/builds, GET /v1/builds/:id (wizard step 3). The log
// line and failure shapes are lib/build/build-log.ts's, which the build Durable Object streams.
import { z } from 'zod';
import { ServerSpecSchema } from '../spec/server-spec';
import { EpochMsSchema, NullableEpochMsSchema } from './time';

export const BuildStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed']);
const StepSchema = z.enum(['validate', 'secrets', 'compile', 'test', 'publish', 'smoke']);

export const BuildLogLineSchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  at: EpochMsSchema,
  step: StepSchema,
  level: z.enum(['info', 'ok', 'warn', 'error']),
  message: z.string(),
  tool: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
});

export const BuildFailureSchema = z.strictObject({
  step: StepSchema,
  message: z.string(),
  fix: z.string(),
});

/** What the owner chose; never holds secret values. */
export const BuildOptionsSchema = z.strictObject({
  sampleArgs: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  testWrites: z.union([z.boolean(), z.array(z.string())]).optional(),
});

export const SnippetSchema = z.strictObject({
  id: z.enum(['claude', 'claude-code', 'cursor', 'vscode', 'inspector']),
  client: z.string(),
  how: z.string(),
  code: z.string(),
  link: z.string().optional(),
});

/** 202 answer of both POSTs: the build is queued; follow `logUrl` (WebSocket) or poll `id`. */
export const BuildStartedSchema = z.strictObject({
  id: z.string(),
  buildId: z.string(),
  status: z.literal('queued'),
  serverId: z.string(),
  server: z.strictObject({ id: z.string(), slug: z.string(), url: z.string() }),
  url: z.string(),
  logUrl: z.string(),
});

/** One row of GET /v1/servers/:id/builds (no spec, no log: they can be large). */
export const BuildSummarySchema = z.strictObject({
  id: z.string(),
  serverId: z.string(),
  orgId: z.string(),
  status: BuildStatusSchema,
  options: BuildOptionsSchema.nullable(),
  /** The version it published, when it succeeded. */
  version: z.number().int().positive().nullable(),
  error: BuildFailureSchema.nullable(),
  createdBy: z.string(),
  createdAt: EpochMsSchema,
  finishedAt: NullableEpochMsSchema,
});

export const BuildListSchema = z.strictObject({ builds: z.array(BuildSummarySchema) });

export const BuildSchema = z.strictObject({
  id: z.string(),
  serverId: z.string(),
  slug: z.string(),
  status: BuildStatusSchema,
  version: z.number().int().positive().nullable(),
  error: BuildFailureSchema.nullable(),
  log: z.array(BuildLogLineSchema),
  options: BuildOptionsSchema,
  spec: ServerSpecSchema,
  createdBy: z.string(),
  createdAt: EpochMsSchema,
  finishedAt: NullableEpochMsSchema,
  url: z.string(),
  /** Only once the build succeeded. */
  snippets: z.array(SnippetSchema).optional(),
});

export type BuildStatus = z.infer<typeof BuildStatusSchema>;
export type BuildLogLine = z.infer<typeof BuildLogLineSchema>;
export type BuildFailure = z.infer<typeof BuildFailureSchema>;
export type BuildStarted = z.infer<typeof BuildStartedSchema>;
export type BuildSummary = z.infer<typeof BuildSummarySchema>;
export type BuildList = z.infer<typeof BuildListSchema>;
export type Build = z.infer<typeof BuildSchema>;

/** How a build ended, as the log socket's last message and as part of GET /v1/builds/:id. */
export const BuildOutcomeSchema = z.strictObject({
  id: z.string(),
  status: BuildStatusSchema,
  version: z.number().int().positive().nullable(),
  error: BuildFailureSchema.nullable(),
});

/** One text frame of the GET /v1/builds/:id/log WebSocket: a log line, or the end. */
export const BuildLogMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('line'), line: BuildLogLineSchema }),
  z.strictObject({ type: z.literal('done'), build: BuildOutcomeSchema }),
]);

export type BuildOutcome = z.infer<typeof BuildOutcomeSchema>;
export type BuildLogMessage = z.infer<typeof BuildLogMessageSchema>;
