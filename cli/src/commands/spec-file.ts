// Reading a spec or an OpenAPI document from a file (or `-` for stdin).
import { readFileSync } from 'node:fs';
import { CliError, EXIT } from '../cli-error.ts';
import { readStdin } from '../prompt.ts';

export async function readTextFile(path: string): Promise<string> {
  if (path === '-') return readStdin();
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(
      `Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
      {
        exitCode: EXIT.usage,
        hint: 'Check the path.',
        code: 'usage',
      },
    );
  }
}

export async function readJsonFile(path: string): Promise<unknown> {
  const text = await readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path} is not valid JSON: ${(err as Error).message}`, {
      exitCode: EXIT.usage,
      hint: 'A ServerSpec is a JSON document (see `moat preview` to generate one).',
      code: 'usage',
    });
  }
}
