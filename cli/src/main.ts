// `moat`: parses the command line, runs one command, and maps errors to messages and exit codes
// (docs/cli.md). Data goes to stdout, everything else to stderr.
import { parseArgs } from 'node:util';
import { ControlPlane } from './api.ts';
import { CliError, EXIT, usageError } from './cli-error.ts';
import { configDir, resolveApiUrl } from './config.ts';
import type { Context, Options } from './context.ts';
import { CredentialStore } from './credentials.ts';
import { HELP } from './help.ts';
import { Output } from './output.ts';

const VERSION = '0.1.0';

type Command = (ctx: Context, sub: string | undefined) => Promise<void>;

/**
 * Commands, whether their second word is a subcommand (`servers list`), and their flags. Each is
 * loaded on demand, so `moat whoami` does not pay for the MCP SDK that `moat call` needs.
 */
const COMMANDS: Record<
  string,
  { load: () => Promise<Command>; sub?: boolean; flags: (keyof Options)[] }
> = {
  login: {
    load: async () => (await import('./commands/login.ts')).login,
    flags: ['api-key', 'no-browser'],
  },
  logout: { load: async () => (await import('./commands/logout.ts')).logout, flags: [] },
  whoami: { load: async () => (await import('./commands/whoami.ts')).whoami, flags: [] },
  servers: {
    load: async () => (await import('./commands/servers.ts')).servers,
    sub: true,
    flags: ['file', 'yes'],
  },
  preview: {
    load: async () => (await import('./commands/preview.ts')).preview,
    flags: ['openapi', 'prompt', 'file', 'name', 'slug', 'base-url', 'operations', 'output'],
  },
  secrets: {
    load: async () => (await import('./commands/secrets.ts')).secrets,
    sub: true,
    flags: [],
  },
  alerts: {
    load: async () => (await import('./commands/alerts.ts')).alerts,
    sub: true,
    flags: ['yes'],
  },
  snippets: {
    load: async () => (await import('./commands/snippets.ts')).snippets,
    flags: ['toolset'],
  },
  call: {
    load: async () => (await import('./commands/call.ts')).call,
    flags: ['args', 'no-browser'],
  },
  eject: {
    load: async () => (await import('./commands/eject.ts')).eject,
    flags: ['output', 'force'],
  },
  build: {
    load: async () => (await import('./commands/build.ts')).build,
    flags: ['follow', 'file', 'test-writes'],
  },
};

const OPTIONS = {
  'api-url': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'api-key': { type: 'boolean' },
  'no-browser': { type: 'boolean' },
  file: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  openapi: { type: 'string' },
  prompt: { type: 'string' },
  name: { type: 'string' },
  slug: { type: 'string' },
  'base-url': { type: 'string' },
  operations: { type: 'string' },
  follow: { type: 'boolean' },
  'test-writes': { type: 'boolean' },
  args: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  force: { type: 'boolean' },
  toolset: { type: 'string' },
} as const;

const GLOBAL_FLAGS = new Set<string>(['api-url', 'json', 'help', 'version']);

function parse(argv: string[]): { opts: Options; words: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    return { opts: values as Options, words: positionals };
  } catch (err) {
    throw usageError((err as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
}

export async function main(argv: string[]): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { opts, words } = parse(argv);
    json = opts.json ?? false;
    const out = new Output(json);
    if (opts.version) {
      out.result({ version: VERSION }, () => `moat ${VERSION}`);
      return EXIT.ok;
    }
    const [name, ...rest] = words;
    if (name === undefined || name === 'help' || (opts.help && !COMMANDS[name])) {
      process.stdout.write(HELP);
      return name === undefined && !opts.help ? EXIT.usage : EXIT.ok;
    }
    const command = COMMANDS[name];
    if (!command) throw usageError(`Unknown command "${name}".`);
    if (opts.help) {
      process.stdout.write(HELP);
      return EXIT.ok;
    }
    for (const flag of Object.keys(opts)) {
      if (!GLOBAL_FLAGS.has(flag) && !command.flags.includes(flag as keyof Options)) {
        throw usageError(`The option --${flag} does not apply to "moat ${name}".`);
      }
    }
    const apiUrl = resolveApiUrl(opts['api-url']);
    const store = new CredentialStore(configDir());
    const sub = command.sub ? rest[0] : undefined;
    const ctx: Context = {
      apiUrl,
      store,
      api: new ControlPlane(apiUrl, store),
      out,
      opts,
      args: command.sub ? rest.slice(1) : rest,
    };
    await (
      await command.load()
    )(ctx, sub);
    return EXIT.ok;
  } catch (err) {
    return report(err, json);
  }
}

function report(err: unknown, json: boolean): number {
  const e =
    err instanceof CliError
      ? err
      : new CliError(`Unexpected failure: ${(err as Error)?.message ?? String(err)}`, {
          hint: 'This is a bug in moat; please report it with the command you ran.',
          code: 'internal',
        });
  if (json) {
    process.stderr.write(
      `${JSON.stringify({ error: { code: e.code, message: e.message, hint: e.hint ?? null } })}\n`,
    );
  } else {
    process.stderr.write(`Error: ${e.message}\n${e.hint ? `${e.hint}\n` : ''}`);
  }
  return e.exitCode;
}

process.on('SIGINT', () => {
  process.stderr.write('\nInterrupted.\n');
  process.exit(EXIT.interrupted);
});

process.exitCode = await main(process.argv.slice(2));
