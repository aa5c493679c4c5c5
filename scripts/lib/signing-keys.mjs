// The auth Worker's own signing-key code (workers/auth/src/store/signing-keys.ts), bundled for
// Node, so the scripts that create or rotate keys out of band write exactly the records the AS
// reads: `npm run keys:rotate` and `npm run deploy` (the first key).
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './workers.mjs';

export async function importSigningKeys() {
  const out = mkdtempSync(join(tmpdir(), 'moat-keys-'));
  try {
    await build({
      entryPoints: [join(root, 'workers/auth/src/store/signing-keys.ts')],
      outfile: join(out, 'signing-keys.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'warning',
    });
    return await import(pathToFileURL(join(out, 'signing-keys.mjs')).href);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
