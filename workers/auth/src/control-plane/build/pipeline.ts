// The build steps (issue 7, wizard step 3): validate → secrets → compile → test each tool →
// publish → smoke-test the live URL. The first failing step stops the build with its reason and
// the fix; publishing is one atomic batch, and a failed smoke test puts the previous version back,
// so a failed build never leaves a half-published server.
import { Validator } from '@cfworker/json-schema';
import type { BuildFailure } from '../../../../../lib/build/build-log';
import {
  ServerSpecSchema,
  formatSpecIssues,
  serverScopes,
  type ServerSpec,
} from '../../../../../lib/spec/server-spec';
import { listSecretStatus } from '../../store/secrets';
import { StepFailed, fail, type BuildInput, type Log } from './build-step';
import { discoveryModes } from './discovery-modes';
import { logDefinitionSizes } from './definition-sizes';
import { publish, withdraw } from './publish';
import { smokeTest } from './smoke-test';
import { testTools } from './test-tools';

export type { BuildInput, Log } from './build-step';

export type BuildOutcome =
  | { status: 'succeeded'; version: number; smoke: 'passed' | 'skipped' }
  | { status: 'failed'; failure: BuildFailure };

export async function runBuild(env: Env, input: BuildInput, log: Log): Promise<BuildOutcome> {
  try {
    const spec = await validate(input, log);
    await checkSecrets(env, input.serverId, spec, log);
    await compile(spec, log);
    await logDefinitionSizes(spec, log);
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
  await log('compile', 'ok', discoveryModes(spec));
}
