// Which files of this repository the runner needs: the relative-import closure of
// workers/runner/src/index.ts (so lib/ code comes along, tests and unrelated modules do not), and
// the npm packages those files import.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveModule(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')];
  const jsAsTs = base.replace(/\.js$/, '.ts');
  if (jsAsTs !== base) candidates.push(jsAsTs);
  return candidates.find((c) => existsSync(c) && !c.endsWith('/'));
}

export function runtimeClosure(
  root: string,
  entry: string,
): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [resolve(root, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const rel = relative(root, file);
    if (files.has(rel)) continue;
    files.add(rel);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) {
        const target = resolveModule(file, spec);
        if (!target) throw new Error(`${rel}: cannot resolve ${spec}`);
        queue.push(target);
      } else if (!spec.startsWith('cloudflare:') && !spec.startsWith('node:')) {
        packages.add(
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!,
        );
      }
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}
