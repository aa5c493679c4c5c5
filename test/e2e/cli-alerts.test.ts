// `moat alerts`: the real binary against a started platform shows, sets, changes and removes a
// server's alert webhook, prints each new signing secret once, and explains bad input.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertSetSchema, AlertStatusSchema } from '../../lib/api/alerts';
import { moat, newAccount, newConfigDir } from '../support/moat-cli';
import { startPlatform, type Platform } from '../support/platform';

const HOOK = 'http://127.0.0.1:9/moat-alerts?token=t0k3n';

describe('moat alerts', () => {
  let platform: Platform;
  let config: string;
  let work: string;
  const run = (args: string[], input?: string) => moat(platform.issuer, config, args, { input });

  beforeAll(async () => {
    platform = await startPlatform();
    const account = await newAccount(platform.issuer);
    config = newConfigDir();
    work = mkdtempSync(join(tmpdir(), 'moat-cli-alerts-'));
    const login = await run(['login', '--api-key'], account.apiKey);
    if (login.code !== 0) throw new Error(login.stderr);
    const file = join(work, 'spec.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Alerted',
        slug: 'alerted',
        egress: ['api.example.com'],
        tools: [
          {
            name: 'ping',
            description: 'Ping',
            inputSchema: { type: 'object', properties: {} },
            annotations: { readOnlyHint: true },
            http: { method: 'GET', url: 'https://api.example.com/ping' },
          },
        ],
      }),
    );
    const created = await run(['servers', 'create', '-f', file]);
    if (created.code !== 0) throw new Error(created.stderr);
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(config, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('shows, sets, rotates and removes the webhook, printing each new secret once', async () => {
    const none = await run(['alerts', 'alerted']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('alerted has no alert webhook.');
    expect(none.stdout).toContain('at least 3 tool calls in 5 minutes failed at the API');
    expect(none.stdout).toContain('moat alerts set alerted https://');

    // `-` reads the URL from stdin, so a token in it stays out of argv.
    const set = await run(['alerts', 'set', 'alerted', '-'], `${HOOK}\n`);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`Alerts for alerted now go to ${HOOK}`);
    const first = /^(whsec_\S+)$/m.exec(set.stdout)?.[1];
    expect(first).toBeDefined();
    expect(set.stdout).not.toContain('previous secret');

    const shown = await run(['alerts', 'alerted']);
    expect(shown.stdout).toContain(`Alerts for alerted go to ${HOOK}`);
    expect(shown.stdout).toContain('at least 10 tool calls in 5 minutes');
    expect(shown.stdout).not.toContain('whsec_');
    const json = await run(['alerts', 'show', 'alerted', '--json']);
    expect(AlertStatusSchema.parse(JSON.parse(json.stdout)).alert?.url).toBe(HOOK);

    const again = await run(['alerts', 'set', 'alerted', HOOK, '--json']);
    expect(again.code).toBe(0);
    const rotated = AlertSetSchema.parse(JSON.parse(again.stdout));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first);
    const human = await run(['alerts', 'set', 'alerted', HOOK]);
    expect(human.stdout).toContain('the previous secret no longer applies');

    const refused = await run(['alerts', 'remove', 'alerted']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Pass --yes');
    expect((await run(['alerts', 'alerted'])).stdout).toContain(HOOK);

    const removed = await run(['alerts', 'remove', 'alerted', '--yes']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed the alert webhook of alerted.');
    expect((await run(['alerts', 'alerted'])).stdout).toContain('alerted has no alert webhook.');

    const nothing = await run(['alerts', 'remove', 'alerted', '--yes']);
    expect(nothing.code).toBe(4);
    expect(nothing.stderr).toContain('nothing to remove');
    expect(nothing.stderr).toContain('moat alerts set alerted <url>');
  });

  it('refuses a URL that cannot be a webhook with exit 2 and says what to give instead', async () => {
    for (const [url, words] of [
      ['hooks.example.com/moat', 'must be an absolute URL'],
      ['ftp://hooks.example.com/moat', 'must be an https URL'],
      ['https://me:pw@hooks.example.com/moat', 'must not carry credentials'],
    ] as const) {
      const r = await run(['alerts', 'set', 'alerted', url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`The webhook URL ${words}.`);
      expect(r.stderr).toContain('Give the https URL your receiver listens on');
    }
    expect((await run(['alerts', 'alerted'])).stdout).toContain('has no alert webhook');
  });

  it('names what is missing and the unknown server', async () => {
    const bare = await run(['alerts']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: moat alerts <server>');
    const noUrl = await run(['alerts', 'set', 'alerted']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('Missing <url>');
    const unknown = await run(['alerts', 'nope']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('No server "nope"');
  });
});
