// Wire contract of GET /v1/audit. The action union lives in audit-actions.ts so the writers
// (auth Worker store, runner) can import it without zod.
import { z } from 'zod';
import { AUDIT_ACTIONS } from './audit-actions';

export { AUDIT_ACTIONS, isAuditAction, type AuditAction } from './audit-actions';

export const AuditActionSchema = z.enum(AUDIT_ACTIONS);
