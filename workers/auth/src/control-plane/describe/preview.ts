// Wizard step 1: a description (OpenAPI text, a prompt, or a ServerSpec) → a proposed ServerSpec.
// Publishes nothing. Library errors are mapped by their `code` to /v1 errors here.
import { ApiError } from '../../../../../lib/http/api-error';
import { LlmError, llmConfigFrom } from '../../../../../lib/llm/provider';
import { PromptRejected, specFromPrompt } from '../../../../../lib/llm/spec-from-prompt';
import { openApiToServerSpec, type OperationSummary } from '../../../../../lib/openapi/convert';
import { OpenApiError } from '../../../../../lib/openapi/document';
import {
  ServerSpecSchema,
  formatSpecIssues,
  serverScopes,
  type ServerSpecInput,
} from '../../../../../lib/spec/server-spec';
import { freeSlugLike, slugAvailability, type SlugAvailability } from './slug-availability';

export type PreviewSource = 'openapi' | 'prompt' | 'spec';

export interface PreviewInput {
  openapi?: string;
  prompt?: string;
  spec?: Record<string, unknown>;
  name?: string;
  slug?: string;
  operations?: string[];
  baseUrl?: string;
}

export interface Preview {
  source: PreviewSource;
  spec: ServerSpecInput;
  warnings: string[];
  /** OpenAPI only: every operation, with whether it became a tool. */
  operations?: OperationSummary[];
  /** Remaining validation issues of `spec` (empty when it can be built as is). */
  issues: { path: string; message: string }[];
  scopes: string[];
  slug: SlugAvailability;
}

export async function preview(env: Env, input: PreviewInput): Promise<Preview> {
  const { source, spec, warnings, operations } = await describe(env, input);
  // Derived slugs move to a free variant; a slug the user chose is reported as it is.
  if (!input.slug && typeof spec.slug === 'string')
    spec.slug = await freeSlugLike(env.DB, spec.slug);
  const parsed = ServerSpecSchema.safeParse(spec);
  const issues = parsed.success ? [] : formatSpecIssues(parsed.error);
  if (source === 'spec' && !parsed.success) {
    throw new ApiError(
      422,
      'invalid_spec',
      `Invalid ServerSpec: ${issues[0]!.path}: ${issues[0]!.message}`,
      {
        details: { issues },
      },
    );
  }
  const slug = await slugAvailability(env.DB, String(spec.slug ?? ''));
  if (!slug.available) warnings.push(`Slug "${slug.slug}": ${slug.message}`);
  return {
    source,
    spec: parsed.success ? parsed.data : spec,
    warnings,
    ...(operations ? { operations } : {}),
    issues,
    scopes: parsed.success ? serverScopes(parsed.data) : [],
    slug,
  };
}

type Described = {
  source: PreviewSource;
  spec: ServerSpecInput;
  warnings: string[];
  operations?: OperationSummary[];
};

async function describe(env: Env, input: PreviewInput): Promise<Described> {
  const overrides = {
    ...(input.name ? { name: input.name } : {}),
    ...(input.slug ? { slug: input.slug } : {}),
  };
  if (input.openapi !== undefined) {
    try {
      const r = await openApiToServerSpec(input.openapi, {
        ...overrides,
        ...(input.operations ? { operations: input.operations } : {}),
        ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
      });
      return { source: 'openapi', ...r };
    } catch (err) {
      if (err instanceof OpenApiError) {
        throw new ApiError(err.code === 'openapi_too_large' ? 413 : 422, err.code, err.message);
      }
      throw err;
    }
  }
  if (input.prompt !== undefined) {
    try {
      const r = await specFromPrompt(llmConfigFrom(env), input.prompt, overrides);
      return { source: 'prompt', spec: r.spec, warnings: r.warnings };
    } catch (err) {
      if (err instanceof PromptRejected) throw new ApiError(400, 'secret_in_prompt', err.message);
      if (err instanceof LlmError) {
        const status = err.code === 'llm_invalid_answer' ? 422 : 503;
        throw new ApiError(
          status,
          err.code,
          err.message,
          err.details ? { details: err.details } : {},
        );
      }
      throw err;
    }
  }
  const spec = { ...(input.spec ?? {}), ...overrides } as ServerSpecInput;
  return { source: 'spec', spec, warnings: [] };
}
