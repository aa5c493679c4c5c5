// The bench's own harness for measuring what edge authorization costs: esbuild swaps whole modules
// of the runner for bench stand-ins at bundle time (scripts/bench/stubs/). Shipped code has no
// switch that turns verification or revocation off; only a bundle this script builds lacks them.
import { join } from 'node:path';
import { root } from '../lib/workers.mjs';

const stub = (name) => join(root, 'scripts/bench/stubs', name);

/** Real module (absolute path, without extension) → the stand-in that replaces it. */
const WITHOUT_REVOCATION = {
  [join(root, 'workers/runner/src/revocation-list')]: stub('revocation-list-live.mjs'),
  [join(root, 'workers/runner/src/stream-guard')]: stub('stream-guard-none.mjs'),
};
const WITHOUT_VERIFICATION = {
  [join(root, 'lib/tokens/verify-access-token')]: stub('verify-access-token-decode-only.mjs'),
};

/** An esbuild plugin replacing the modules in `swaps`, except when a stand-in imports the real one. */
function substitute(swaps) {
  return {
    name: 'moat-bench-substitutes',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!args.path.startsWith('.') || args.importer.startsWith(stub(''))) return undefined;
        const target = join(args.resolveDir, args.path).replace(/\.(ts|mjs|js)$/, '');
        return swaps[target] ? { path: swaps[target] } : undefined;
      });
    },
  };
}

export const benchPlugins = {
  full: [],
  'no-rev': [substitute(WITHOUT_REVOCATION)],
  'no-auth': [substitute({ ...WITHOUT_REVOCATION, ...WITHOUT_VERIFICATION })],
};
