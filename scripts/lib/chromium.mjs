// Finds the Chromium the browser tests drive, installing Debian's `chromium` where that is
// possible, so `npm install && npm test` passes on a machine with nothing but Node (the e2e
// project's globalSetup calls ensureChromium once per run). Never a silent skip: when there is no
// browser and none can be installed, the run stops with a message naming CHROMIUM_PATH.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export class ChromiumNotFound extends Error {
  static code = 'chromium_not_found';
  code = ChromiumNotFound.code;
  constructor(reason) {
    super(
      `The browser tests need Chromium. ${reason} Install it (Debian/Ubuntu: ` +
        '`sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome ' +
        'executable, then run `npm test` again.',
    );
    this.name = 'ChromiumNotFound';
  }
}

function isExecutableFile(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first executable `name` in a PATH-style list of directories, or undefined. */
export function onPath(name, pathList = '') {
  for (const dir of pathList.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * A Chromium already on this machine: CHROMIUM_PATH when set (taken as given: a wrong value is an
 * error, not a reason to look elsewhere), else `chromium` on PATH, else `systemPath`.
 */
export function findChromium({ env = process.env, systemPath = SYSTEM_CHROMIUM } = {}) {
  if (env.CHROMIUM_PATH) {
    if (isExecutableFile(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
    throw new ChromiumNotFound(
      `CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, which is not an executable file.`,
    );
  }
  return onPath('chromium', env.PATH) ?? (isExecutableFile(systemPath) ? systemPath : undefined);
}

/** How apt-get can run here: as root (`[]`), through passwordless sudo, or not at all. */
export function aptPrefix({ env = process.env, uid = process.getuid?.(), run = runCommand } = {}) {
  if (!onPath('apt-get', env.PATH)) return undefined;
  if (uid === 0) return [];
  if (onPath('sudo', env.PATH) && run(['sudo', '-n', 'true'], { quiet: true }).ok) {
    return ['sudo', '-n'];
  }
  return undefined;
}

/** Runs argv; apt's own (quiet) output and errors reach the terminal. */
export function runCommand(argv, { quiet = false } = {}) {
  const r = spawnSync(argv[0], argv.slice(1), {
    stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'],
  });
  return { ok: r.status === 0, status: r.status };
}

/** The path of a usable Chromium, installed with apt-get if need be; throws ChromiumNotFound. */
export function ensureChromium({
  env = process.env,
  systemPath = SYSTEM_CHROMIUM,
  uid = process.getuid?.(),
  run = runCommand,
  log = (line) => console.log(line),
} = {}) {
  const found = findChromium({ env, systemPath });
  if (found) return found;
  const prefix = aptPrefix({ env, uid, run });
  if (!prefix) {
    throw new ChromiumNotFound(
      'None was found (CHROMIUM_PATH unset, no `chromium` on PATH, no ' +
        `${systemPath}), and apt-get cannot install one here (it needs apt-get and root or ` +
        'passwordless sudo).',
    );
  }
  const started = Date.now();
  log('Chromium not found: installing Debian\u2019s chromium with apt-get for the browser tests…');
  const apt = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium'],
  ]) {
    const r = run([...apt, ...args]);
    if (!r.ok) {
      throw new ChromiumNotFound(`\`apt-get ${args[0]}\` failed (exit ${r.status}).`);
    }
  }
  const installed = findChromium({ env: { PATH: env.PATH }, systemPath });
  if (!installed) {
    throw new ChromiumNotFound(`apt-get installed chromium, but ${systemPath} is not there.`);
  }
  log(`Chromium installed at ${installed} (${Math.round((Date.now() - started) / 1000)} s).`);
  return installed;
}
