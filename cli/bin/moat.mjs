#!/usr/bin/env node
// The `moat` launcher. Node ≥ 22.18 runs the TypeScript sources directly (type stripping, see
// docs/decisions.md); an older Node re-runs this file with the repository's own Node 22 (the
// `node` devDependency) when it is installed, and otherwise says what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

if (process.features.typescript) {
  await import('../src/main.ts');
} else {
  const local = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(local)) {
    console.error(
      `moat needs Node 22.18 or newer (this is ${process.version}). Run \`npm install\` in the ` +
        'Moat repository and use `npx moat`, or install a newer Node.',
    );
    process.exit(1);
  }
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(local, [self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
