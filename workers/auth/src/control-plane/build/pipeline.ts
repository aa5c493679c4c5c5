// The build steps (issue 7, wizard step 3): validate → secrets → compile → test each tool →
// publish → smoke-test the live URL. The first failing step stops the build with its reason and
// the fix; publishing is one atomic batch, and a failed smoke test puts the previous version back,
// so a failed build never leaves a half-published server.
import { Validator } from '@cfworker/json-schema';
import { sampleArgs } from '../../../../../lib/build/sample-args';
import type { BuildFailure, BuildOptions, BuildStepName } from '../../../../../lib/build/build-log';
import type { BuildToolsRpc, ToolTestResult } from '../../../../../lib/build/tool-test';
import {
  ServerSpecSchema,
  formatSpecIssues,
  serverScopes,
  type ServerSpec,
  type Tool,
} from '../../../../../lib/spec/server-spec';
import { oauthConfig, revocationTtlMs } from '../../authorization-server/config';
import { serverAccessStatements } from '../../store/access-loss';
import { isUniqueViolation } from '../../store/constraint-violation';
import { listSecretStatus } from '../../store/secrets';
import {
  findServerById,
  getVersion,
  latestVersion,
  publishVersionStatements,
  switchVersionStatement,
  versionSwitched,
} from '../../store/servers';
import { smokeTest } from './smoke-test';

export type Log = (
  step: BuildStepName,
  level: 'info' | 'ok' | 'warn' | 'error',
  message: string,
  extra?: { tool?: string; durationMs?: number },
) => Promise<void>;

export type BuildInput = {
  buildId: string;
  serverId: string;
  createdBy: string;
  spec: unknown;
  options: BuildOptions;
};

export type BuildOutcome =
  | { status: 'succeeded'; version: number; smoke: 'passed' | 'skipped' }
  | { status: 'failed'; failure: BuildFailure };

class StepFailed extends Error {
  readonly failure: BuildFailure;
  constructor(failure: BuildFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

const fail = (step: BuildStepName, message: string, fix: string): never => {
  throw new StepFailed({ step, message, fix });
};

export async function runBuild(env: Env, input: BuildInput, log: Log): Promise<BuildOutcome> {
  try {
    const spec = await validate(input, log);
    await checkSecrets(env, input.serverId, spec, log);
    await compile(spec, log);
    await testTools(env, input, spec, log);
    const { version, previous } = await publish(env, input, spec, log);
    const smoke = await smokeTest(
      env,
      { buildId: input.buildId, serverId: input.serverId, sub: input.createdBy, spec },
      log,
    );
    if (!smoke.ok) {
      await withdraw(env, input.serverId, version, previous, spec.visibility, log);
      fail('smoke', smoke.message, smoke.fix);
    }
    return { status: 'succeeded', version, smoke: smoke.skipped ? 'skipped' : 'passed' };
  } catch (err) {
    if (err instanceof StepFailed) return { status: 'failed', failure: err.failure };
    console.error('build crashed', { buildId: input.buildId, name: (err as Error).name });
    return {
      status: 'failed',
      failure: {
        step: 'publish',
        message: 'The build stopped on an internal error.',
        fix: 'Run the build again.',
      },
    };
  }
}

async function validate(input: BuildInput, log: Log): Promise<ServerSpec> {
  await log('validate', 'info', 'Validating the ServerSpec…');
  const parsed = ServerSpecSchema.safeParse(input.spec);
  if (!parsed.success) {
    const issues = formatSpecIssues(parsed.error);
    for (const i of issues.slice(0, 10)) await log('validate', 'error', `${i.path}: ${i.message}`);
    return fail(
      'validate',
      `The spec is invalid: ${issues[0]!.path}: ${issues[0]!.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}.`,
      'Correct the fields named above in the review step.',
    );
  }
  const spec = parsed.data;
  await log(
    'validate',
    'ok',
    `Spec valid: ${spec.tools.length} tool(s), ${spec.secrets.length} secret(s).`,
  );
  return spec;
}

async function checkSecrets(env: Env, serverId: string, spec: ServerSpec, log: Log) {
  if (spec.secrets.length === 0) return log('secrets', 'ok', 'No credentials needed.');
  const stored = new Set((await listSecretStatus(env.DB, serverId)).map((s) => s.name));
  const missing = spec.secrets.filter((s) => !stored.has(s.name)).map((s) => s.name);
  if (missing.length > 0) {
    return fail(
      'secrets',
      `Secret ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set.`,
      `Enter a value for ${missing.join(', ')} in the review step (or PUT /v1/servers/${serverId}/secrets/${missing[0]}).`,
    );
  }
  await log(
    'secrets',
    'ok',
    `All ${spec.secrets.length} declared secret(s) are set (values are never logged).`,
  );
}

async function compile(spec: ServerSpec, log: Log) {
  for (const tool of spec.tools) {
    for (const [which, schema] of [
      ['inputSchema', tool.inputSchema],
      ['outputSchema', tool.outputSchema],
    ] as const) {
      if (!schema) continue;
      try {
        new Validator(schema as never, '2020-12', false).validate({});
      } catch {
        fail(
          'compile',
          `The ${which} of ${tool.name} is not a usable JSON Schema.`,
          `Fix ${tool.name}.${which} in the review step.`,
        );
      }
    }
  }
  await log('compile', 'ok', `Scopes: ${serverScopes(spec).join(' ')}.`);
  await log('compile', 'ok', `Egress allowlist: ${spec.egress.join(', ') || '(none)'}.`);
}

function isTestedForReal(tool: Tool, options: BuildOptions): boolean {
  if (tool.annotations?.readOnlyHint) return true;
  const w = options.testWrites;
  return w === true || (Array.isArray(w) && w.includes(tool.name));
}

async function testTools(env: Env, input: BuildInput, spec: ServerSpec, log: Log) {
  const rpc = env.RUNNER_TOOLS as unknown as BuildToolsRpc;
  for (const tool of spec.tools) {
    const args = input.options.sampleArgs?.[tool.name] ?? sampleArgs(tool.inputSchema);
    const check = new Validator(tool.inputSchema as never, '2020-12', false).validate(args);
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

async function publish(env: Env, input: BuildInput, spec: ServerSpec, log: Log) {
  const server = await findServerById(env.DB, input.serverId);
  if (!server)
    return fail('publish', 'The server was deleted during the build.', 'Create it again.');
  const version = (await latestVersion(env.DB, input.serverId)) + 1;
  const previous = server.currentVersion;
  const now = Date.now();
  const publishStatements = publishVersionStatements(env.DB, {
    serverId: input.serverId,
    version,
    replaces: previous,
    spec,
    createdBy: input.createdBy,
    note: `build ${input.buildId}`,
    now,
  });
  let switched = false;
  try {
    const results = await env.DB.batch([
      ...publishStatements,
      // What a narrower visibility takes away ends in the same batch (docs/oauth.md).
      ...serverAccessStatements(
        env.DB,
        { id: input.serverId, previousVisibility: server.visibility },
        now,
        revocationTtlMs(oauthConfig(env)),
      ),
    ]);
    switched = versionSwitched(results[publishStatements.length - 1]);
  } catch (err) {
    // The primary key: a concurrent publish took this version number.
    if (!isUniqueViolation(err)) throw err;
  }
  if (!switched) {
    return fail(
      'publish',
      `Another change published version ${version} or later first.`,
      'Run the build again.',
    );
  }
  await log('publish', 'ok', `Published version ${version}.`);
  return { version, previous };
}

/**
 * A failed smoke test puts `previous` back, but only in place of `version`, the one this build
 * published: if anything was published meanwhile, that publish stays (compare-and-set).
 */
async function withdraw(
  env: Env,
  serverId: string,
  version: number,
  previous: number | null,
  withdrawnVisibility: ServerSpec['visibility'],
  log: Log,
): Promise<void> {
  const back = previous === null ? undefined : await getVersion(env.DB, serverId, previous);
  const now = Date.now();
  const [result] = await env.DB.batch([
    switchVersionStatement(env.DB, {
      serverId,
      from: version,
      to: previous,
      spec: (back?.spec as ServerSpec | undefined) ?? null,
      now,
    }),
    // The version put back may be narrower than the withdrawn one: end what it takes away.
    ...serverAccessStatements(
      env.DB,
      { id: serverId, previousVisibility: withdrawnVisibility },
      now,
      revocationTtlMs(oauthConfig(env)),
    ),
  ]);
  if (versionSwitched(result)) {
    await log(
      'smoke',
      'error',
      `Version ${version} withdrawn; the server is back to ${previous ? `version ${previous}` : 'unpublished'}.`,
    );
    return;
  }
  const current = (await findServerById(env.DB, serverId))?.currentVersion;
  const meanwhile =
    current === undefined
      ? 'the server was deleted meanwhile'
      : current === null
        ? 'the server was unpublished meanwhile'
        : `version ${current} was published meanwhile`;
  await log('smoke', 'error', `Version ${version} not rolled back: ${meanwhile}.`);
}
