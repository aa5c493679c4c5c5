// The tools a client sees in search and code mode (issue 14, DESIGN §9): their names, descriptions
// and input schemas, shared by the runner (which serves them), the build log and the bench (which
// measure them). The runner's handlers are in workers/runner/src/modes/.
import { toolSignatures } from './code-signatures';
import { resolveMode } from './discovery-mode';
import type { Tool } from './http-tool';
import type { DiscoveryMode } from './toolsets';

export const SEARCH_TOOLS = 'search_tools';
export const DESCRIBE_TOOLS = 'describe_tools';
export const CALL_TOOL = 'call_tool';
export const RUN_CODE = 'run_code';

export const SEARCH_LIMIT_DEFAULT = 10;
export const SEARCH_LIMIT_MAX = 50;
export const DESCRIBE_MAX = 20;

/** What the MCP tools/list answer carries for one tool. */
export type ListedTool = {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { type: 'object'; [k: string]: unknown };
  annotations?: Record<string, unknown>;
};

export function searchModeTools(serverName: string): ListedTool[] {
  return [
    {
      name: SEARCH_TOOLS,
      title: 'Search tools',
      description: `Finds ${serverName} tools for a task. Returns the best-matching tool names with one-line descriptions; then call describe_tools for their input schemas and call_tool to run one.`,
      inputSchema: {
        type: 'object',
        properties: {
          query: {
            type: 'string',
            minLength: 1,
            maxLength: 500,
            description: 'What you want to do, in a few words',
          },
          limit: {
            type: 'integer',
            minimum: 1,
            maximum: SEARCH_LIMIT_MAX,
            description: `How many tools (default ${SEARCH_LIMIT_DEFAULT})`,
          },
        },
        required: ['query'],
        additionalProperties: false,
      },
      annotations: { readOnlyHint: true },
    },
    {
      name: DESCRIBE_TOOLS,
      title: 'Describe tools',
      description:
        'Returns the full definitions (description, input schema, annotations) of the named tools.',
      inputSchema: {
        type: 'object',
        properties: {
          names: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: DESCRIBE_MAX },
        },
        required: ['names'],
        additionalProperties: false,
      },
      annotations: { readOnlyHint: true },
    },
    {
      name: CALL_TOOL,
      title: 'Call a tool',
      description:
        'Calls one tool by name with its arguments (as described by describe_tools) and returns its result.',
      inputSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1 },
          arguments: { type: 'object' },
        },
        required: ['name'],
        additionalProperties: false,
      },
    },
  ];
}

export type CodeLimits = {
  cpuMs: number;
  wallMs: number;
  maxCalls: number;
  maxOutputBytes: number;
};

/** run_code's limits (the wall time may be set per deployment: CODE_MODE_WALL_MS). */
export const DEFAULT_CODE_LIMITS: CodeLimits = {
  cpuMs: 1000,
  wallMs: 30_000,
  maxCalls: 25,
  maxOutputBytes: 64 * 1024,
};

/** The one code-mode tool; its description carries the callable tools' TypeScript signatures. */
export function runCodeTool(tools: readonly Tool[], limits: CodeLimits): ListedTool {
  return {
    name: RUN_CODE,
    title: 'Run code',
    description: [
      'Runs a JavaScript program: the body of an async function, so use `await` and `return` a JSON value.',
      "Call the tools below as `await tools.<name>(args)`: each returns the tool's JSON result (or its text) and throws on a tool error.",
      `There is no network (fetch is refused). Limits: ${limits.maxCalls} tool calls, ${limits.wallMs / 1000} s, ${Math.round(limits.maxOutputBytes / 1024)} KiB of output; console.log lines are returned too.`,
      '',
      '```ts',
      toolSignatures(tools),
      '```',
    ].join('\n'),
    inputSchema: {
      type: 'object',
      properties: { code: { type: 'string', minLength: 1, maxLength: 20000 } },
      required: ['code'],
      additionalProperties: false,
    },
  };
}

/** The tool names tools/list answers with for a spec (the build's smoke test checks them). */
export function listedToolNames(spec: {
  name: string;
  mode?: DiscoveryMode;
  tools: readonly Tool[];
}): string[] {
  switch (resolveMode(spec)) {
    case 'search':
      return searchModeTools(spec.name).map((t) => t.name);
    case 'code':
      return [RUN_CODE];
    default:
      return spec.tools.map((t) => t.name);
  }
}
