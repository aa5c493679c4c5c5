// What every command receives: where it talks to, the credentials, output, and its arguments.
import type { ControlPlane } from './api.ts';
import { usageError } from './cli-error.ts';
import type { CredentialStore } from './credentials.ts';
import type { Output } from './output.ts';

export type Options = {
  'api-url'?: string;
  json?: boolean;
  help?: boolean;
  version?: boolean;
  'api-key'?: boolean;
  'no-browser'?: boolean;
  file?: string;
  output?: string;
  openapi?: string;
  prompt?: string;
  name?: string;
  slug?: string;
  'base-url'?: string;
  operations?: string;
  follow?: boolean;
  'test-writes'?: boolean;
  args?: string;
  yes?: boolean;
  force?: boolean;
  toolset?: string;
};

export type Context = {
  apiUrl: string;
  store: CredentialStore;
  api: ControlPlane;
  out: Output;
  opts: Options;
  /** Positional arguments after the command (and subcommand) words. */
  args: string[];
};

/** The n-th positional argument, or a usage error naming it. */
export function arg(ctx: Context, index: number, name: string, usage: string): string {
  const value = ctx.args[index];
  if (value === undefined || value === '')
    throw usageError(`Missing <${name}>.`, `Usage: ${usage}`);
  return value;
}

export function noExtraArgs(ctx: Context, count: number, usage: string): void {
  if (ctx.args.length > count) {
    throw usageError(`Unexpected argument "${ctx.args[count]}".`, `Usage: ${usage}`);
  }
}
