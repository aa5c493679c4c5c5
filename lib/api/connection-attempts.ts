// GET /v1/servers/:id/connection-attempts?outcome=failed|succeeded (DESIGN §9 "Observability"):
// the connection recorder's authorization attempts for one server, newest first, each with its
// steps, the first failing step and a plain-language diagnosis (docs/observability.md).
import { z } from 'zod';
import { EpochMsSchema } from './time';

/** In the order a connection goes through them (MCP 2025-11-25 authorization §Authorization flow). */
export const CONNECTION_STEPS = [
  'discovery',
  'registration',
  'authorize',
  'login',
  'consent',
  'token',
  'mcp_request',
] as const;
export type ConnectionStep = (typeof CONNECTION_STEPS)[number];

export const ATTEMPT_OUTCOMES = ['succeeded', 'failed', 'in_progress'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

const DetailValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string()),
]);

export const AttemptStepSchema = z.strictObject({
  step: z.enum(CONNECTION_STEPS),
  at: EpochMsSchema,
  ok: z.boolean(),
  /** What was received or decided, minus anything secret (no tokens, codes, verifiers, state). */
  detail: z.record(z.string(), DetailValueSchema),
});

export const DiagnosisSchema = z.strictObject({
  /** A stable code: resource_mismatch, redirect_uri_not_registered, pkce_missing, … */
  code: z.string(),
  /** One or two sentences for the server's owner. */
  message: z.string(),
});

export const ConnectionAttemptSchema = z.strictObject({
  id: z.string(),
  clientId: z.string().nullable(),
  clientName: z.string().nullable(),
  startedAt: EpochMsSchema,
  /** How long from the first step to the last, in ms. */
  durationMs: z.number().int().nonnegative(),
  outcome: z.enum(ATTEMPT_OUTCOMES),
  failedStep: z.enum(CONNECTION_STEPS).optional(),
  diagnosis: DiagnosisSchema.optional(),
  steps: z.array(AttemptStepSchema),
});

export const ConnectionAttemptListSchema = z.strictObject({
  attempts: z.array(ConnectionAttemptSchema),
  /** How long records are kept, in days. */
  retentionDays: z.number().int().positive(),
});

export const ConnectionAttemptQuerySchema = z.strictObject({
  outcome: z.enum(ATTEMPT_OUTCOMES).optional(),
});

export type AttemptStep = z.infer<typeof AttemptStepSchema>;
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
export type ConnectionAttempt = z.infer<typeof ConnectionAttemptSchema>;
export type ConnectionAttemptList = z.infer<typeof ConnectionAttemptListSchema>;
