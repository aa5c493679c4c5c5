// Wire contract of GET /v1/audit. The action union lives in audit-actions.ts so the writers
// (auth Worker store, runner) can import it without zod.
import { z } from 'zod';
import { AUDIT_ACTIONS } from './audit-actions';
import { EpochMsSchema } from './time';

export { AUDIT_ACTIONS, isAuditAction, type AuditAction } from './audit-actions';

export const AuditActionSchema = z.enum(AUDIT_ACTIONS);

export const AuditEventSchema = z.strictObject({
  /** Time-ordered (`evt_…`): sorting by id sorts by time. */
  id: z.string(),
  ts: EpochMsSchema,
  orgId: z.string().nullable(),
  /** A user id, a client id or null (the platform itself). */
  actor: z.string().nullable(),
  action: AuditActionSchema,
  resource: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  /** Never holds tokens, codes, secrets or passwords. */
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

/** Newest first; pass `nextCursor` as `cursor` for the next page (null: this was the last). */
export const AuditPageSchema = z.strictObject({
  events: z.array(AuditEventSchema),
  nextCursor: z.string().nullable(),
});

export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type AuditPage = z.infer<typeof AuditPageSchema>;
