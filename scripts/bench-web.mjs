#!/usr/bin/env node
// `npm run bench:web`: builds the dashboard and prints what the first page costs (gzip): the
// entry script and everything index.html preloads, plus the landing route's lazy chunk, against
// the 200 KB budget, then every other chunk.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dashboardDist, ensureDashboard } from './lib/dashboard.mjs';

await ensureDashboard(console.log, { force: true });
const html = readFileSync(join(dashboardDist, 'index.html'), 'utf8');
const gz = (file) => gzipSync(readFileSync(join(dashboardDist, file)), { level: 9 }).length;
const first = new Set(
  [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]),
);
const all = readdirSync(join(dashboardDist, 'assets')).map((f) => `assets/${f}`);
const landing = all.find((f) => /\/landing-[\w-]+\.js$/.test(f));
if (landing) first.add(landing);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let total = 0;
console.log('First page (gzip):');
for (const f of first) {
  const size = gz(f);
  total += size;
  console.log(`  ${kb(size).padStart(9)}  ${f}`);
}
const js = [...first].filter((f) => f.endsWith('.js')).reduce((n, f) => n + gz(f), 0);
console.log(`  ${kb(total).padStart(9)}  total (JavaScript ${kb(js)}; budget 200 KB)`);
console.log('Other chunks, loaded with their routes (gzip):');
for (const f of all.filter((f) => !first.has(f)).sort())
  console.log(`  ${kb(gz(f)).padStart(9)}  ${f}`);
if (js > 200 * 1024) process.exitCode = 1;
