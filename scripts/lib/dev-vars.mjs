// Local development secrets live in .dev.vars (git-ignored). Created on first start.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './workers.mjs';

export const DEV_VARS_PATH = join(root, '.dev.vars');

export function parseDevVars(text) {
  const vars = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) vars[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  return vars;
}

/** Reads .dev.vars, adding MASTER_KEY (32 random bytes) and ALLOW_PRIVATE_EGRESS if missing. */
export function ensureDevVars(log = () => {}) {
  const existing = existsSync(DEV_VARS_PATH) ? readFileSync(DEV_VARS_PATH, 'utf8') : '';
  const vars = parseDevVars(existing);
  const added = [];
  if (!vars.MASTER_KEY) {
    vars.MASTER_KEY = randomBytes(32).toString('base64');
    added.push(`MASTER_KEY=${vars.MASTER_KEY}`);
  }
  if (vars.ALLOW_PRIVATE_EGRESS === undefined) {
    vars.ALLOW_PRIVATE_EGRESS = '1';
    added.push('# Local tools may call local APIs (127.0.0.1). Never set in production.');
    added.push('ALLOW_PRIVATE_EGRESS=1');
  }
  if (added.length > 0) {
    const prefix = existing && !existing.endsWith('\n') ? '\n' : '';
    writeFileSync(DEV_VARS_PATH, `${existing}${prefix}${added.join('\n')}\n`, { mode: 0o600 });
    log('✓ created local development secrets in .dev.vars');
  }
  return vars;
}
