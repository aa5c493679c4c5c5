import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moat, newAccount, newConfigDir } from '../support/moat-cli';
import { startPlatform, type Platform } from '../support/platform';

describe('moat CLI: API-key login, whoami, logout', () => {
  let platform: Platform;
  let account: Awaited<ReturnType<typeof newAccount>>;
  const dirs: string[] = [];
  const dir = () => {
    const d = newConfigDir();
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    platform = await startPlatform();
    account = await newAccount(platform.issuer);
  });
  afterAll(async () => {
    await platform?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('logs in with an API key from stdin, stores it 0600 in a 0700 dir and never prints it', async () => {
    const config = dir();
    const login = await moat(platform.issuer, config, ['login', '--api-key'], {
      input: `${account.apiKey}\n`,
    });
    expect(login).toMatchObject({ code: 0 });
    expect(login.stdout).toContain(`Logged in to ${platform.issuer} as ${account.email}`);
    expect(login.stdout + login.stderr).not.toContain(account.apiKey);
    expect(statSync(join(config, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(statSync(config).mode & 0o777).toBe(0o700);

    const who = await moat(platform.issuer, config, ['whoami']);
    expect(who.code).toBe(0);
    expect(who.stdout).toContain(account.email);
    expect(who.stdout).toContain('API key');
    expect(who.stdout + who.stderr).not.toContain(account.apiKey);
  });

  it('keeps credentials under $XDG_CONFIG_HOME/moat when MOAT_CONFIG_DIR is not set', async () => {
    const xdg = dir();
    const login = await moat(platform.issuer, '', ['login', '--api-key'], {
      input: account.apiKey,
      env: { XDG_CONFIG_HOME: xdg },
    });
    expect(login.code).toBe(0);
    expect(statSync(join(xdg, 'moat/credentials.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(xdg, 'moat')).mode & 0o777).toBe(0o700);
  });

  it('prints whoami as JSON with --json', async () => {
    const config = dir();
    await moat(platform.issuer, config, ['login', '--api-key'], { input: account.apiKey });
    const who = await moat(platform.issuer, config, ['whoami', '--json']);
    expect(who.code).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({
      apiUrl: platform.issuer,
      user: { email: account.email },
      role: 'owner',
      authenticatedBy: 'api_key',
    });
  });

  it('refuses a revoked or unknown API key with exit 3 and stores nothing', async () => {
    const config = dir();
    const bad = `moat_sk_${'a'.repeat(52)}`;
    const login = await moat(platform.issuer, config, ['login', '--api-key'], { input: bad });
    expect(login.code).toBe(3);
    expect(login.stderr).toMatch(/refused your credentials/);
    expect(login.stderr).toContain('moat login');
    expect(() => statSync(join(config, 'credentials.json'))).toThrow();
  });

  it('refuses text that is not an API key with exit 2 before calling the platform', async () => {
    const login = await moat(platform.issuer, dir(), ['login', '--api-key'], { input: 'hunter2' });
    expect(login.code).toBe(2);
    expect(login.stderr).toContain('moat_sk_');
    expect(login.stderr).not.toContain('hunter2');
  });

  it('says "Not logged in — run moat login" with exit 3 when there are no credentials', async () => {
    const who = await moat(platform.issuer, dir(), ['whoami']);
    expect(who.code).toBe(3);
    expect(who.stderr).toContain(`Not logged in to ${platform.issuer}`);
    expect(who.stderr).toContain('`moat login`');
  });

  it('reports JSON errors on stderr with --json', async () => {
    const who = await moat(platform.issuer, dir(), ['whoami', '--json']);
    expect(who.code).toBe(3);
    expect(who.stdout).toBe('');
    expect(JSON.parse(who.stderr)).toMatchObject({ error: { code: 'not_logged_in' } });
  });

  it('logs out by deleting the credentials file', async () => {
    const config = dir();
    await moat(platform.issuer, config, ['login', '--api-key'], { input: account.apiKey });
    const out = await moat(platform.issuer, config, ['logout']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('credentials deleted');
    expect(() => statSync(join(config, 'credentials.json'))).toThrow();
    expect((await moat(platform.issuer, config, ['whoami'])).code).toBe(3);
  });

  it('exits 6 with a hint when the platform is unreachable', async () => {
    const run = await moat('http://127.0.0.1:9', dir(), ['login', '--api-key'], {
      input: account.apiKey,
    });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('Cannot reach http://127.0.0.1:9');
    expect(run.stderr).toContain('npm start');
  });

  it('exits 2 on unknown commands and options that do not apply', async () => {
    const unknown = await moat(platform.issuer, dir(), ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    const misplaced = await moat(platform.issuer, dir(), ['whoami', '--follow']);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('--follow does not apply');
  });

  it('refuses a plain-http API URL that is not loopback', async () => {
    const run = await moat('http://moat.example.com', dir(), ['whoami']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Refusing plain http');
  });

  it('keeps other platforms untouched in the same credentials file', async () => {
    const config = dir();
    await moat(platform.issuer, config, ['login', '--api-key'], { input: account.apiKey });
    const stored = JSON.parse(readFileSync(join(config, 'credentials.json'), 'utf8'));
    expect(Object.keys(stored.platforms)).toEqual([platform.issuer]);
    const other = await moat('http://127.0.0.1:9', config, ['logout']);
    expect(other.code).toBe(0);
    expect((await moat(platform.issuer, config, ['whoami'])).code).toBe(0);
  });
});
