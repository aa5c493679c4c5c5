// The credentials file: `<config dir>/credentials.json`, mode 0600 in a 0700 directory, one entry
// per platform (API URL). It holds an API key or OAuth tokens; nothing in it is ever printed.
// Writes go to a temporary file that is renamed over the old one, so a crash never leaves half a
// file, and a lock file serializes refreshes between concurrent `moat` processes (a refresh token
// is single-use: two processes rotating the same one would trip reuse detection, RFC 9700 §4.14).
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { CliError } from './cli-error.ts';

/** Tokens as the token endpoint returned them (RFC 6749 §5.1), with an absolute expiry. */
export type StoredTokens = {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  scope?: string;
  expires_in?: number;
  /** ms since the epoch; derived from expires_in when the token was received. */
  expires_at?: number;
};

/** The CLI's client information (the first-party `moat-cli`), used by `moat login` and `moat call`. */
export type StoredClient = { client_id: string; [k: string]: unknown };

export type ControlPlaneAuth =
  | { kind: 'api_key'; apiKey: string }
  | { kind: 'oauth'; issuer: string; resource: string; tokens: StoredTokens };

export type PlatformEntry = {
  user?: { id: string; email: string };
  auth?: ControlPlaneAuth;
  /** The CLI's client at this platform's AS, keyed by issuer. */
  client?: { issuer: string; info: StoredClient };
  /** Tokens for hosted MCP servers (`moat call`), keyed by the server's resource URL. */
  servers?: Record<string, StoredTokens>;
};

type FileShape = { version: 1; platforms: Record<string, PlatformEntry> };

export class CredentialStore {
  readonly dir: string;
  readonly file: string;

  constructor(dir: string) {
    this.dir = dir;
    this.file = join(dir, 'credentials.json');
  }

  #readAll(): FileShape {
    let text: string;
    try {
      const st = statSync(this.file);
      // Like ssh with a private key: a file others can read is fixed before use.
      if ((st.mode & 0o077) !== 0) chmodSync(this.file, 0o600);
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, platforms: {} };
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as FileShape;
      if (parsed?.version === 1 && parsed.platforms && typeof parsed.platforms === 'object') {
        return parsed;
      }
    } catch {
      // fall through
    }
    throw new CliError(`The credentials file ${this.file} is damaged.`, {
      hint: 'Delete it and run `moat login` again.',
    });
  }

  #writeAll(data: FileShape): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }

  get(apiUrl: string): PlatformEntry {
    return this.#readAll().platforms[apiUrl] ?? {};
  }

  /** Read-modify-write of one platform's entry under the lock. */
  async update(
    apiUrl: string,
    change: (
      entry: PlatformEntry,
    ) => PlatformEntry | undefined | Promise<PlatformEntry | undefined>,
  ): Promise<PlatformEntry> {
    return this.withLock(async () => {
      const all = this.#readAll();
      const next = await change(all.platforms[apiUrl] ?? {});
      if (next === undefined) delete all.platforms[apiUrl];
      else all.platforms[apiUrl] = next;
      if (Object.keys(all.platforms).length === 0) rmSync(this.file, { force: true });
      else this.#writeAll(all);
      return next ?? {};
    });
  }

  /** Runs `fn` holding `credentials.lock` (O_EXCL); a lock older than 30 s is stale. */
  async withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const lock = join(this.dir, 'credentials.lock');
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        closeSync(openSync(lock, 'wx', 0o600));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        try {
          if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { force: true });
        } catch {
          // the holder just released it
        }
        if (Date.now() > deadline) {
          throw new CliError(`Another moat process holds ${lock}.`, {
            hint: 'Wait for it to finish, or delete the lock file if no moat is running.',
          });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    try {
      return await fn();
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

/** Adds `expires_at` to a fresh token response. */
export function withExpiry(
  tokens: Omit<StoredTokens, 'expires_at'>,
  now = Date.now(),
): StoredTokens {
  return typeof tokens.expires_in === 'number'
    ? { ...tokens, expires_at: now + tokens.expires_in * 1000 }
    : { ...tokens };
}

/** True when the access token is missing or expires within the next minute. */
export function isExpired(tokens: StoredTokens, now = Date.now()): boolean {
  return tokens.expires_at !== undefined && tokens.expires_at - 60_000 <= now;
}
