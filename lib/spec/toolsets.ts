// Toolsets and discovery modes (issue 14, DESIGN §9, docs/runner.md "Toolsets and modes"). A
// toolset is a named subset of a server's tools (and resources/prompts) served at
// `{RUNNER_ORIGIN}/{slug}/{toolset}/mcp` as its own protected resource (RFC 9728: its own metadata,
// its own audience). A mode says how the tools are offered: all listed (`tools`), behind
// search_tools/describe_tools/call_tool (`search`), or as typed functions to one run_code (`code`).
import { z } from 'zod';

export const DISCOVERY_MODES = ['tools', 'search', 'code'] as const;
export const DiscoveryModeSchema = z
  .enum(DISCOVERY_MODES)
  .describe(
    'How tools are offered: every tool listed, behind search_tools/describe_tools/call_tool, or as typed functions to one run_code; absent: listed up to 40 tools, search past that',
  );
export type DiscoveryMode = z.infer<typeof DiscoveryModeSchema>;

// A path segment under the server's slug; `mcp` is the server's own endpoint.
export const TOOLSET_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

export const ToolsetSchema = z
  .object({
    name: z
      .string()
      .regex(TOOLSET_NAME_PATTERN, 'lowercase letters, digits and -, starting with a letter')
      .refine((n) => n !== 'mcp', { message: '"mcp" is the server\'s own endpoint' })
      .describe('served at {RUNNER_ORIGIN}/{slug}/{name}/mcp, its own OAuth resource'),
    title: z.string().max(100).optional(),
    description: z.string().max(2000).optional(),
    tools: z.array(z.string()).min(1).max(128).describe('names of the tools it serves'),
    resources: z
      .array(z.string())
      .max(128)
      .optional()
      .describe('names of the resources and resource templates it serves (none if absent)'),
    prompts: z
      .array(z.string())
      .max(64)
      .optional()
      .describe('names of the prompts it serves (none if absent)'),
    mode: DiscoveryModeSchema.optional(),
  })
  .strict();

export type Toolset = z.output<typeof ToolsetSchema>;
