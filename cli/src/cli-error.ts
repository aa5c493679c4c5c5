// The one error type of the CLI: a message, what to do next, and the exit code (docs/cli.md
// "Exit codes"). Anything else that escapes is a bug and exits 1.

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  rejected: 5,
  unreachable: 6,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly code: string;

  constructor(message: string, opts: { exitCode?: ExitCode; hint?: string; code?: string } = {}) {
    super(message);
    this.name = 'CliError';
    this.exitCode = opts.exitCode ?? EXIT.failure;
    this.hint = opts.hint;
    this.code = opts.code ?? 'error';
  }
}

export const usageError = (message: string, hint = 'Run `moat help` for usage.'): CliError =>
  new CliError(message, { exitCode: EXIT.usage, hint, code: 'usage' });

export const notLoggedIn = (apiUrl: string): CliError =>
  new CliError(`Not logged in to ${apiUrl}`, {
    exitCode: EXIT.auth,
    hint: 'Run `moat login` (or `moat login --api-key` for a machine).',
    code: 'not_logged_in',
  });
