// The review step's editable form of one proposed tool, and the spec the edited drafts make:
// parsed with the same ServerSpecSchema the API uses, so errors name the field before sending.
import { sampleArgs } from '../../../lib/build/sample-args';
import {
  ServerSpecSchema,
  defaultToolScopes,
  formatSpecIssues,
  type ServerSpec,
  type ServerSpecInput,
} from '../../../lib/spec/server-spec';

type ToolInput = ServerSpecInput['tools'][number];
export type Issue = { path: string; message: string };

export type Draft = {
  include: boolean;
  name: string;
  description: string;
  /** JSON text, parsed on every change. */
  schema: string;
  /** Space-separated. */
  scopes: string;
  /** The build's test-call arguments, JSON text. */
  args: string;
  testWrite: boolean;
  tool: ToolInput;
};

export function toDraft(tool: ToolInput): Draft {
  return {
    include: true,
    name: tool.name,
    description: tool.description,
    schema: JSON.stringify(tool.inputSchema, null, 2),
    scopes: (tool.scopes?.length ? tool.scopes : defaultToolScopes(tool)).join(' '),
    args: JSON.stringify(sampleArgs(tool.inputSchema), null, 2),
    testWrite: false,
    tool,
  };
}

/** The spec the included drafts make, or the issues, with paths naming the rows on screen. */
export function draftSpec(
  base: ServerSpecInput,
  drafts: Draft[],
  visibility: ServerSpecInput['visibility'],
): { spec: ServerSpec | undefined; issues: Issue[] } {
  const jsonIssues: Issue[] = [];
  const tools: unknown[] = [];
  drafts.forEach((d, i) => {
    if (!d.include) return;
    let inputSchema: unknown;
    try {
      inputSchema = JSON.parse(d.schema);
    } catch (err) {
      jsonIssues.push({
        path: `tools.${i}.inputSchema`,
        message: `not valid JSON: ${(err as Error).message}`,
      });
    }
    try {
      const args: unknown = JSON.parse(d.args);
      if (typeof args !== 'object' || args === null || Array.isArray(args))
        throw new Error('not an object');
    } catch (err) {
      jsonIssues.push({
        path: `tools.${i}.args`,
        message: `test arguments must be a JSON object (${(err as Error).message})`,
      });
    }
    tools.push({
      ...d.tool,
      name: d.name,
      description: d.description,
      inputSchema,
      scopes: d.scopes.split(/\s+/).filter(Boolean),
    });
  });
  if (jsonIssues.length) return { spec: undefined, issues: jsonIssues };
  const parsed = ServerSpecSchema.safeParse({ ...base, visibility, tools });
  if (parsed.success) return { spec: parsed.data, issues: [] };
  // Map issue paths on the included-tools array back to the rows on screen.
  const rows = drafts.map((d, i) => (d.include ? i : -1)).filter((i) => i >= 0);
  return {
    spec: undefined,
    issues: formatSpecIssues(parsed.error).map((p) => ({
      ...p,
      path: p.path.replace(/^tools\.(\d+)/, (_, n: string) => `tools.${rows[Number(n)] ?? n}`),
    })),
  };
}

/** The messages of every issue at `prefix` or under it, joined; undefined for none. */
export function issueAt(issues: Issue[], prefix: string): string | undefined {
  return (
    issues
      .filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`))
      .map((p) => p.message)
      .join('; ') || undefined
  );
}
