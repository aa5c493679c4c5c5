// Build step "test": each tool's sample arguments are checked against its inputSchema, and the
// tools that only read (or that the owner opted in with testWrites) are called once for real.
import { Validator } from '@cfworker/json-schema';
import { sampleArgs } from '../../../../../lib/build/sample-args';
import type { BuildOptions } from '../../../../../lib/build/build-log';
import type { BuildToolsRpc, ToolTestResult } from '../../../../../lib/build/tool-test';
import { referencedConnections } from '../../../../../lib/spec/connections';
import type { ServerSpec, Tool } from '../../../../../lib/spec/server-spec';
import { fail, type BuildInput, type Log } from './build-step';

function isTestedForReal(tool: Tool, options: BuildOptions): boolean {
  if (tool.annotations?.readOnlyHint) return true;
  const w = options.testWrites;
  return w === true || (Array.isArray(w) && w.includes(tool.name));
}

export async function testTools(env: Env, input: BuildInput, spec: ServerSpec, log: Log) {
  const rpc = env.RUNNER_TOOLS as unknown as BuildToolsRpc;
  for (const tool of spec.tools) {
    const args = input.options.sampleArgs?.[tool.name] ?? sampleArgs(tool.inputSchema);
    const check = new Validator(tool.inputSchema as never, '2020-12', false).validate(args);
    // A per-user connection's token belongs to each end user; the build acts for no one, so it
    // cannot call such a tool (issue 13, docs/connections.md).
    const connections = [...referencedConnections(httpTemplates(tool))];
    if (connections.length) {
      await log(
        'test',
        'info',
        `${tool.name}: schema checked; not called (it acts as each user through the ${connections.join(', ')} connection; the build has no user's account).`,
        { tool: tool.name },
      );
      continue;
    }
    if (!isTestedForReal(tool, input.options)) {
      await log(
        'test',
        'info',
        `${tool.name}: schema checked; not called (it writes — opt in with testWrites to call it).`,
        { tool: tool.name },
      );
      continue;
    }
    if (!check.valid) {
      const first = check.errors.find((e) => e.keyword !== 'properties') ?? check.errors[0];
      fail(
        'test',
        `The sample arguments for ${tool.name} do not match its inputSchema (${first?.instanceLocation ?? '#'}: ${first?.error ?? 'invalid'}).`,
        `Edit the sample arguments for ${tool.name}.`,
      );
    }
    // Argument names only: a sample value may be something the owner would not want in a log.
    const names = Object.keys(args).join(', ') || 'no arguments';
    await log('test', 'info', `${tool.name}: calling once for real (${names})…`, {
      tool: tool.name,
    });
    const started = Date.now();
    const result = await rpc.testTool({ serverId: input.serverId, spec, tool: tool.name, args });
    const durationMs = Date.now() - started;
    if (!result.ok) {
      await log('test', 'error', `${tool.name}: ${result.text}`, { tool: tool.name, durationMs });
      fail('test', `Tool ${tool.name} failed: ${result.text.split('\n')[0]}`, fixFor(tool, result));
    }
    const shape = tool.outputSchema ? ', matches its outputSchema' : '';
    await log(
      'test',
      'ok',
      `${tool.name}: answered ${result.status ?? ''} in ${result.latencyMs} ms${shape}.`,
      { tool: tool.name, durationMs },
    );
  }
}

function httpTemplates(tool: Tool): string[] {
  const body = tool.http.body;
  return [
    ...Object.values(tool.http.headers ?? {}),
    typeof body === 'string' ? body : JSON.stringify(body ?? ''),
  ];
}

function fixFor(tool: Tool, r: ToolTestResult): string {
  if (r.outcome === 'invalid_arguments') return `Edit the sample arguments for ${tool.name}.`;
  if (r.outcome === 'refused') return `Check ${tool.name}'s URL and the egress allowlist.`;
  if (r.outcome === 'timeout')
    return `Check that the API answers, or raise ${tool.name}.http.timeoutMs.`;
  if (r.text.includes('outputSchema'))
    return `Update ${tool.name}.outputSchema to match what the API returns, or remove it.`;
  if (r.status === 401 || r.status === 403) return 'Check the secret values and their permissions.';
  if (r.status === 404) return `Check ${tool.name}'s URL template and its sample arguments.`;
  return `Check ${tool.name}'s request (URL, headers, body) and the API's status.`;
}
