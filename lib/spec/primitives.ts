// Resources, resource templates and prompts: the MCP primitives beside tools (MCP 2025-11-25
// server/resources and server/prompts; DESIGN §9). Their shapes mirror MCP's own types. Checks
// that need the whole spec (unique names, secrets, egress) live in server-spec.ts.
import { z } from 'zod';
import { ScopeSchema } from './scopes';
import { URI_SCHEME, uriTemplateProblem } from './uri-template';

/** One resource's content: text characters, or the decoded bytes of a blob. */
export const MAX_RESOURCE_BYTES = 256 * 1024;
/** All static resources of a spec together (the spec is one D1 row). */
export const MAX_RESOURCES_TOTAL_BYTES = 1024 * 1024;

// MCP BaseMetadata.name is for programmatic use: a short identifier, no spaces.
const PRIMITIVE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const NAME_MESSAGE = 'letters, digits, _ . and - only, starting with a letter or digit';
export const PROMPT_ARGUMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
// RFC 6838 §4.2 type/subtype, optionally with parameters.
const MIME_TYPE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(?:\s*;.*)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const nameField = z.string().regex(PRIMITIVE_NAME, NAME_MESSAGE);
const mimeTypeField = z
  .string()
  .max(255)
  .regex(MIME_TYPE, 'a media type such as "text/markdown" or "application/json"');

/** Decoded size of standard base64 (RFC 4648 §4). */
export function base64Bytes(blob: string): number {
  const padding = blob.endsWith('==') ? 2 : blob.endsWith('=') ? 1 : 0;
  return (blob.length / 4) * 3 - padding;
}

export const ResourceSchema = z
  .object({
    uri: z
      .string()
      .max(2048)
      .regex(URI_SCHEME, 'must be an absolute URI with a scheme, e.g. "docs://readme"')
      .refine((u) => !/[\s{}]/.test(u) && URL.canParse(u), {
        message: 'must be a valid URI (no spaces or braces; use resourceTemplates for {name})',
      })
      .describe('The resource\'s URI, unique in the spec, e.g. "docs://readme"'),
    name: nameField,
    title: z.string().max(200).optional(),
    description: z.string().max(4000).optional(),
    mimeType: mimeTypeField,
    text: z
      .string()
      .refine((t) => new TextEncoder().encode(t).byteLength <= MAX_RESOURCE_BYTES, {
        message: 'at most 256 KiB of text (UTF-8)',
      })
      .describe('The content as text; give exactly one of text or blob')
      .optional(),
    blob: z
      .string()
      .regex(BASE64, 'standard base64 (RFC 4648 §4) with padding')
      .refine((b) => base64Bytes(b) <= MAX_RESOURCE_BYTES, { message: 'at most 256 KiB decoded' })
      .describe('The content as standard base64; give exactly one of text or blob')
      .optional(),
    scopes: z.array(ScopeSchema).max(16).optional(),
  })
  .strict()
  .refine((r) => (r.text === undefined) !== (r.blob === undefined), {
    message: 'give exactly one of "text" or "blob"',
  });

export const PromptArgumentSchema = z
  .object({
    name: z
      .string()
      .regex(PROMPT_ARGUMENT_NAME, 'letters, digits and _ only, not starting with a digit'),
    description: z.string().max(1000).optional(),
    required: z.boolean().optional(),
  })
  .strict();

export const PromptMessageSchema = z
  .object({
    role: z.enum(['user', 'assistant']),
    text: z
      .string()
      .min(1)
      .max(32_768)
      .describe("{argument} is replaced by the argument's value; other braces stay as written"),
  })
  .strict();

export const PromptSchema = z
  .object({
    name: nameField,
    title: z.string().max(200).optional(),
    description: z.string().max(4000).optional(),
    arguments: z.array(PromptArgumentSchema).max(32).optional(),
    messages: z.array(PromptMessageSchema).min(1).max(32),
    scopes: z.array(ScopeSchema).max(16).optional(),
  })
  .strict()
  .superRefine((prompt, ctx) => {
    const seen = new Set<string>();
    prompt.arguments?.forEach((a, i) => {
      if (seen.has(a.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['arguments', i, 'name'],
          message: 'duplicate argument name',
        });
      }
      seen.add(a.name);
    });
  });

/** The template check as a zod refinement, so its message names the field. */
export const UriTemplateField = z
  .string()
  .max(2048)
  .superRefine((t, ctx) => {
    const problem = uriTemplateProblem(t);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
  })
  .describe('RFC 6570 level 1: {name} expressions become the arguments of the http call');

export type Resource = z.output<typeof ResourceSchema>;
export type Prompt = z.output<typeof PromptSchema>;
export type PromptArgument = z.output<typeof PromptArgumentSchema>;
