// A tool and a resource template of a ServerSpec: each is answered by one HTTP call
// (MCP server/tools, server/resources §Resource Templates).
import { z } from 'zod';
import { ResourceSchema, UriTemplateField } from './primitives';
import { ResponseShapingSchema, TemplateResponseShapingSchema } from './response-shaping';
import { ScopeSchema } from './scopes';

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** JSON Schema objects are passed through; the runner compiles them with @cfworker/json-schema. */
const JsonSchemaObject = z
  .object({ type: z.literal('object') })
  .catchall(z.unknown())
  .describe('A JSON Schema with "type": "object"');

export const ToolAnnotationsSchema = z
  .object({
    title: z.string().max(200).optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .strict();

export const HttpCallSchema = z
  .object({
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
    url: z
      .string()
      .max(2048)
      .regex(/^https?:\/\//, 'must start with https:// (or http:// for local APIs)')
      .refine((u) => !/\{\{\s*secrets\./.test(u), {
        message: 'secrets may not appear in the URL; put them in a header or the body',
      }),
    headers: z.record(z.string().max(128), z.string().max(4096)).optional(),
    body: z.union([z.string().max(65_536), z.record(z.string(), z.unknown()), z.null()]).optional(),
    timeoutMs: z.number().int().min(100).max(60_000).optional(),
  })
  .strict();

export const ToolSchema = z
  .object({
    name: z.string().regex(NAME_PATTERN, 'letters, digits and _ only, starting with a letter'),
    title: z.string().max(200).optional(),
    description: z.string().min(1).max(4000),
    inputSchema: JsonSchemaObject,
    outputSchema: JsonSchemaObject.optional(),
    annotations: ToolAnnotationsSchema.optional(),
    scopes: z.array(ScopeSchema).max(16).optional(),
    http: HttpCallSchema,
    response: ResponseShapingSchema.optional().describe(
      'What the tool returns: a projection, a size budget and its pagination (Response shaping)',
    ),
  })
  .strict()
  .superRefine((tool, ctx) => {
    // The next-page arguments must be ones the tool accepts.
    const p = tool.response?.pagination;
    const props = tool.inputSchema.properties as Record<string, unknown> | undefined;
    for (const [key, name] of [
      ['param', p?.param],
      ['sizeParam', p?.sizeParam],
    ] as const) {
      if (name !== undefined && !(props && name in props)) {
        ctx.addIssue({
          code: 'custom',
          path: ['response', 'pagination', key],
          message: `${name} is not a property of inputSchema`,
        });
      }
    }
  });

/** A resource template (MCP server/resources §Resource Templates) read through an HTTP call. */
export const ResourceTemplateSchema = z
  .object({
    uriTemplate: UriTemplateField,
    name: ResourceSchema.shape.name,
    title: z.string().max(200).optional(),
    description: z.string().max(4000).optional(),
    mimeType: ResourceSchema.shape.mimeType,
    scopes: z.array(ScopeSchema).max(16).optional(),
    http: HttpCallSchema,
    response: TemplateResponseShapingSchema.optional().describe(
      'What a read returns: a projection and a size budget (Response shaping)',
    ),
  })
  .strict();

export type Tool = z.output<typeof ToolSchema>;
export type HttpCall = z.output<typeof HttpCallSchema>;
export type ResourceTemplate = z.output<typeof ResourceTemplateSchema>;
