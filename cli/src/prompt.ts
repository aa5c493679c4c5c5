// Reading secrets: from stdin when it is piped, else a terminal prompt that does not echo.
// Values never go through argv (visible in `ps`) and are never printed.
import { CliError, EXIT } from './cli-error.ts';

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One value: stdin's content without the trailing newline, or a no-echo prompt on a TTY. */
export async function readSecret(question: string): Promise<string> {
  const value = process.stdin.isTTY
    ? await promptHidden(question)
    : (await readStdin()).replace(/\r?\n$/, '');
  if (value === '') {
    throw new CliError('No value given.', {
      exitCode: EXIT.usage,
      hint: 'Pipe it in (`printf %s "$VALUE" | moat …`) or type it at the prompt.',
      code: 'usage',
    });
  }
  return value;
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') {
          return done(
            new CliError('Interrupted.', { exitCode: EXIT.interrupted, code: 'interrupted' }),
          );
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** y/N confirmation on a TTY; false when there is no terminal to ask. */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
