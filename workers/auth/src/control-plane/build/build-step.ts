// What every build step shares: the log it writes to, the build it runs for, and how a step
// stops the build with its reason and the fix (caught once, in runBuild).
import type { BuildFailure, BuildOptions, BuildStepName } from '../../../../../lib/build/build-log';

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

export class StepFailed extends Error {
  readonly failure: BuildFailure;
  constructor(failure: BuildFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

export const fail = (step: BuildStepName, message: string, fix: string): never => {
  throw new StepFailed({ step, message, fix });
};
