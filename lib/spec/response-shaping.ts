// What a tool (or resource template) returns (issue 14, docs/runner.md "Response shaping"): an
// optional projection of its JSON response, a size budget, and how its API paginates, so a result
// fits a client's context window and tells the model how to get the rest.
import { z } from 'zod';
import { pathProblem } from '../shaping/json-path';

/**
 * Default budget of a tool result, in estimated tokens (definition-size.ts): 20,000, under the
 * 25,000-token cap common clients put on a tool's output (Claude Code's MAX_MCP_OUTPUT_TOKENS),
 * with room for the estimate running low on JSON.
 */
export const DEFAULT_MAX_TOKENS = 20_000;
export const MIN_MAX_TOKENS = 500;
export const MAX_MAX_TOKENS = 200_000;

const PathField = z
  .string()
  .superRefine((p, ctx) => {
    const problem = pathProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('A path such as "data.items", "items[*].name", "owner.login" or "items[-1].id"');

// A tool argument's name, as in an inputSchema's properties.
const ArgName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'an argument name');

export const ResponseProjectionSchema = z
  .object({
    select: PathField.optional().describe('The part of the response to keep (default: all)'),
    fields: z
      .record(z.string().min(1).max(64), PathField)
      .refine((f) => Object.keys(f).length >= 1 && Object.keys(f).length <= 64, {
        message: 'between 1 and 64 fields',
      })
      .optional()
      .describe('Output name → path; applied to each element when the selected part is an array'),
  })
  .strict()
  .refine((p) => p.select !== undefined || p.fields !== undefined, {
    message: 'give "select", "fields" or both',
  });

export const PaginationSchema = z
  .object({
    style: z
      .enum(['cursor', 'page', 'offset'])
      .describe('cursor: an opaque token; page: a page number; offset: an item offset'),
    param: ArgName.describe('The tool argument that carries the cursor, page number or offset'),
    next: PathField.optional().describe(
      'cursor style: where the next cursor is in the response (absent or null on the last page)',
    ),
    sizeParam: ArgName.optional().describe('The tool argument for the page size, if any'),
    items: PathField.optional().describe(
      "Where a page's items are (default: the response if it is an array, else its first array member)",
    ),
    total: PathField.optional().describe('Where the total number of items is, if the API says'),
    hasMore: PathField.optional().describe('Where a "more pages" boolean is, if the API says'),
    firstPage: z.number().int().min(0).max(1).optional().describe('page style: 1 (default) or 0'),
  })
  .strict()
  .refine((p) => p.style !== 'cursor' || p.next !== undefined, {
    message: 'cursor pagination needs "next": where the next cursor is in the response',
    path: ['next'],
  });

export const ResponseShapingSchema = z
  .object({
    projection: ResponseProjectionSchema.optional(),
    maxTokens: z
      .number()
      .int()
      .min(MIN_MAX_TOKENS)
      .max(MAX_MAX_TOKENS)
      .optional()
      .describe(`Size budget of a result in estimated tokens (default ${DEFAULT_MAX_TOKENS})`),
    pagination: PaginationSchema.optional(),
  })
  .strict();

/** A resource template's reads have no next-page arguments: its URI is its only input. */
export const TemplateResponseShapingSchema = ResponseShapingSchema.omit({ pagination: true });

export type ResponseProjection = z.output<typeof ResponseProjectionSchema>;
export type Pagination = z.output<typeof PaginationSchema>;
export type ResponseShaping = z.output<typeof ResponseShapingSchema>;
