import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChromiumNotFound, ensureChromium, findChromium, type RunCommand } from './chromium.mjs';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'moat-chromium-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An executable (or not) file at `dir/rel`; returns its path. */
function file(rel: string, executable = true): string {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

const missing = () => join(dir, 'nowhere/chromium');

/** A command runner that records argv and answers from `answers` (default: success). */
function recorder(answers: Record<string, number> = {}) {
  const calls: string[][] = [];
  const run: RunCommand = (argv) => {
    calls.push(argv);
    const status = Object.entries(answers).find(([k]) => argv.join(' ').includes(k))?.[1] ?? 0;
    return { ok: status === 0, status };
  };
  return { calls, run };
}

describe('findChromium', () => {
  it('takes CHROMIUM_PATH as given, before PATH and the system path', () => {
    const chosen = file('custom/chrome');
    file('bin/chromium');
    const env = { CHROMIUM_PATH: chosen, PATH: join(dir, 'bin') };
    expect(findChromium({ env, systemPath: file('usr/bin/chromium') })).toBe(chosen);
  });

  it('refuses a CHROMIUM_PATH that is not an executable file, naming it, instead of looking elsewhere', () => {
    file('bin/chromium');
    const env = { CHROMIUM_PATH: file('custom/chrome', false), PATH: join(dir, 'bin') };
    expect(() => findChromium({ env })).toThrow(ChromiumNotFound);
    expect(() => findChromium({ env })).toThrow(/CHROMIUM_PATH is set to .*custom\/chrome/);
  });

  it('finds an executable chromium on PATH, skipping a directory whose chromium is not executable', () => {
    file('a/chromium', false);
    const good = file('b/chromium');
    const env = { PATH: ['', join(dir, 'a'), join(dir, 'b')].join(delimiter) };
    expect(findChromium({ env, systemPath: missing() })).toBe(good);
  });

  it('falls back to the system path, and to undefined when there is none', () => {
    const system = file('usr/bin/chromium');
    expect(findChromium({ env: { PATH: join(dir, 'empty') }, systemPath: system })).toBe(system);
    expect(findChromium({ env: { PATH: join(dir, 'empty') }, systemPath: missing() })).toBe(
      undefined,
    );
  });
});

describe('ensureChromium', () => {
  it('returns a browser that is already there without running anything', () => {
    const { calls, run } = recorder();
    const found = file('bin/chromium');
    file('bin/apt-get');
    expect(ensureChromium({ env: { PATH: join(dir, 'bin') }, uid: 0, run })).toBe(found);
    expect(calls).toEqual([]);
  });

  it('installs Debian chromium with apt-get as root, with a progress line, and returns it', () => {
    const system = join(dir, 'usr/bin/chromium');
    const lines: string[] = [];
    const calls: string[][] = [];
    const run: RunCommand = (argv) => {
      calls.push(argv);
      if (argv.includes('install')) file('usr/bin/chromium');
      return { ok: true, status: 0 };
    };
    file('bin/apt-get');
    const env = { PATH: join(dir, 'bin') };
    const path = ensureChromium({
      env,
      systemPath: system,
      uid: 0,
      run,
      log: (l) => lines.push(l),
    });
    expect(path).toBe(system);
    expect(calls).toEqual([
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-qq'],
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'chromium'],
    ]);
    expect(lines[0]).toMatch(/installing .*chromium with apt-get/);
    expect(lines[1]).toContain(`Chromium installed at ${system}`);
  });

  it('uses passwordless sudo when not root', () => {
    const { calls, run } = recorder();
    file('bin/apt-get');
    file('bin/sudo');
    const env = { PATH: join(dir, 'bin') };
    expect(() =>
      ensureChromium({ env, systemPath: missing(), uid: 1000, run, log: () => {} }),
    ).toThrow(/apt-get installed chromium, but/);
    expect(calls[0]).toEqual(['sudo', '-n', 'true']);
    expect(calls[1]?.slice(0, 4)).toEqual(['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive']);
  });

  it('fails with a message naming CHROMIUM_PATH when apt-get cannot run (no root, sudo asks for a password)', () => {
    const { calls, run } = recorder({ 'sudo -n true': 1 });
    file('bin/apt-get');
    file('bin/sudo');
    const env = { PATH: join(dir, 'bin') };
    const attempt = () => ensureChromium({ env, systemPath: missing(), uid: 1000, run });
    expect(attempt).toThrow(ChromiumNotFound);
    expect(attempt).toThrow(/apt-get cannot install one here.*set CHROMIUM_PATH/s);
    expect(calls.every((c) => c.join(' ') === 'sudo -n true')).toBe(true);
  });

  it('fails with a message naming CHROMIUM_PATH where there is no apt-get', () => {
    const { calls, run } = recorder();
    const attempt = () =>
      ensureChromium({ env: { PATH: join(dir, 'bin') }, systemPath: missing(), uid: 0, run });
    expect(attempt).toThrow(/None was found.*CHROMIUM_PATH/s);
    expect(calls).toEqual([]);
  });

  it('fails with the failing apt-get step and CHROMIUM_PATH when the install fails', () => {
    const { run } = recorder({ 'apt-get install': 100 });
    file('bin/apt-get');
    const attempt = () =>
      ensureChromium({
        env: { PATH: join(dir, 'bin') },
        systemPath: missing(),
        uid: 0,
        run,
        log: () => {},
      });
    expect(attempt).toThrow(/`apt-get install` failed \(exit 100\).*CHROMIUM_PATH/s);
  });
});
