// Output: data on stdout (a table for people, JSON with --json), progress and notes on stderr.
// Spinners only when stderr is a terminal, so pipes and CI logs stay clean.

export type Column<T> = { header: string; value: (row: T) => string };

export class Output {
  readonly json: boolean;
  readonly #out: NodeJS.WriteStream;
  readonly #err: NodeJS.WriteStream;

  constructor(json: boolean, out = process.stdout, err = process.stderr) {
    this.json = json;
    this.#out = out;
    this.#err = err;
  }

  /** The command's result: `data` as JSON with --json, else `human()`'s text. */
  result(data: unknown, human: () => string): void {
    const text = this.json ? JSON.stringify(data, null, 2) : human();
    if (text !== '') this.#out.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A note for people (stderr), silent with --json. */
  note(message: string): void {
    if (!this.json) this.#err.write(`${message}\n`);
  }

  /** Always on stderr: things the user must see even in scripts (a URL to open). */
  warn(message: string): void {
    this.#err.write(`${message}\n`);
  }

  /** Starts a spinner on a TTY (no-op elsewhere); returns a stop function. */
  spinner(label: string): (final?: string) => void {
    if (!this.#err.isTTY) return (final) => final && this.note(final);
    const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    let i = 0;
    const draw = () => this.#err.write(`\r${frames[i++ % frames.length]} ${label}`);
    draw();
    const timer = setInterval(draw, 80);
    return (final) => {
      clearInterval(timer);
      this.#err.write('\r\x1b[2K');
      if (final) this.#err.write(`${final}\n`);
    };
  }
}

export function table<T>(rows: readonly T[], columns: Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => c.value(r)));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((row) => row[i]!.length)),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n');
}

/** `2026-11-23 19:40` in local time, or `—`. */
export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
