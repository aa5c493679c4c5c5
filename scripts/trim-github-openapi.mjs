#!/usr/bin/env node
// Regenerates test/fixtures/github-openapi.trimmed.json from GitHub's REST API description as published in the
// @octokit/openapi npm package (MIT, https://github.com/octokit/openapi):
//   npm pack @octokit/openapi@23.0.2 && tar xzf octokit-openapi-23.0.2.tgz
//   node scripts/trim-github-openapi.mjs package/generated/api.github.com.json
// What is kept: every path and operation (id, summary, tags, parameters, request body), the
// first paragraph of each description, and the component schemas/parameters the operations
// reach. What is cut to stay under 2 MB: response bodies (status and description stay),
// examples, webhooks and the x-* vendor extensions. Output is sorted and stable.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [source] = process.argv.slice(2);
if (!source) throw new Error('usage: trim-github-openapi.mjs <api.github.com.json>');
const doc = JSON.parse(readFileSync(source, 'utf8'));
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

const shorten = (text, max) => {
  if (typeof text !== 'string') return undefined;
  const first = text.split(/\n\s*\n/)[0].trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
};

// Drops examples and vendor extensions, shortens descriptions, anywhere in a schema.
function clean(node) {
  if (Array.isArray(node)) return node.map(clean);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'example' || k === 'examples' || k.startsWith('x-')) continue;
    if (k === 'description' && typeof v === 'string') out[k] = shorten(v, 160);
    else out[k] = clean(v);
  }
  return out;
}

const paths = {};
for (const [path, item] of Object.entries(doc.paths)) {
  const next = {};
  if (item.parameters) next.parameters = clean(item.parameters);
  for (const m of METHODS) {
    const op = item[m];
    if (!op) continue;
    const responses = {};
    for (const [status, r] of Object.entries(op.responses ?? {})) {
      responses[status] = { description: shorten(r.description, 80) ?? status };
    }
    next[m] = {
      operationId: op.operationId,
      summary: op.summary,
      description: shorten(op.description, 240),
      tags: op.tags,
      ...(op.parameters ? { parameters: clean(op.parameters) } : {}),
      ...(op.requestBody ? { requestBody: clean(op.requestBody) } : {}),
      responses,
    };
  }
  paths[path] = next;
}

// Keep only the components the operations reach (transitively through $ref).
const components = { schemas: {}, parameters: {} };
const queue = [paths];
const seen = new Set();
while (queue.length) {
  const node = queue.pop();
  if (Array.isArray(node)) queue.push(...node);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && !seen.has(v)) {
        seen.add(v);
        const [, , kind, name] = v.split('/');
        const target = clean(doc.components[kind][name]);
        components[kind] ??= {};
        components[kind][name] = target;
        queue.push(target);
      } else queue.push(v);
    }
  }
}
for (const kind of Object.keys(components)) {
  components[kind] = Object.fromEntries(Object.entries(components[kind]).sort());
}

const out = {
  openapi: doc.openapi,
  info: {
    title: 'GitHub v3 REST API',
    version: doc.info.version,
    description: 'GitHub REST API description (trimmed test fixture; source: @octokit/openapi).',
    license: doc.info.license,
  },
  servers: doc.servers,
  paths,
  components,
};
const target = join(
  dirname(fileURLToPath(import.meta.url)),
  '../test/fixtures/github-openapi.trimmed.json',
);
writeFileSync(target, `${JSON.stringify(out)}\n`);
const ops = Object.values(paths).reduce((n, p) => n + METHODS.filter((m) => p[m]).length, 0);
console.log(`${target}: ${ops} operations, ${(JSON.stringify(out).length / 1024).toFixed(0)} KB`);
