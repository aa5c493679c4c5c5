// Every /v1 failure: {"error": {"code": "snake_case_code", "message": "…", …details}} (DESIGN §3).
// Clients branch on `code`, never on `message` (a sentence for people that may change).
import { z } from 'zod';

export const FieldIssueSchema = z.object({ path: z.string(), message: z.string() });

export const ApiErrorBodySchema = z.object({
  error: z.looseObject({
    code: z.string().regex(/^[a-z][a-z0-9_]*$/),
    message: z.string(),
    fields: z.array(FieldIssueSchema).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;
export type FieldIssue = z.infer<typeof FieldIssueSchema>;
