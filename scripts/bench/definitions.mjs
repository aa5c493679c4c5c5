#!/usr/bin/env node
// `npm run bench:definitions`: how much of a model's context a large API's tool definitions take
// in each discovery mode (docs/runner.md "Discovery modes"), for GitHub's REST description
// (test/fixtures/github-openapi.trimmed.json, 1,223 operations) and the synthetic 600-operation
// document. Tokens are estimated as lib/spec/definition-size.ts does for the build log: the
// compact JSON of the tools/list answer a client receives, ~4 characters a token. Printed side by
// side and as ratios to the full list:
//   full     every tool listed (tools mode)
//   toolset  one toolset of the tag proposal (lib/openapi/toolset-proposal.ts): median and largest
//   search   search_tools + describe_tools + call_tool (plus what one search and one describe cost)
//   code     run_code with the TypeScript signatures of every tool
import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { syntheticOpenApiText } from '../../test/fixtures/synthetic-openapi.mjs';
import { root } from '../lib/workers.mjs';

const outfile = join(root, 'dist/bench/definitions-lib.mjs');
mkdirSync(join(root, 'dist/bench'), { recursive: true });
await build({
  stdin: {
    contents: `
      export { openApiToServerSpec } from './lib/openapi/convert';
      export { DEFAULT_CODE_LIMITS, runCodeTool, searchModeTools } from './lib/spec/discovery-tools';
      export { SEARCH_MODE_THRESHOLD } from './lib/spec/discovery-mode';
      export { estimateJsonTokens, toolDefinition } from './lib/spec/definition-size';`,
    resolveDir: root,
    loader: 'ts',
  },
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  logLevel: 'error',
});
const lib = await import(pathToFileURL(outfile).href);

/** Every supported operation as a tool: converted in slices, as a server holds at most 1,000. */
async function allTools(text) {
  const { operations } = await lib.openApiToServerSpec(text);
  const ids = operations.filter((o) => o.supported).map((o) => o.id);
  const tools = [];
  let toolsets;
  for (let i = 0; i < ids.length; i += 500) {
    const { spec } = await lib.openApiToServerSpec(text, { operations: ids.slice(i, i + 500) });
    tools.push(...spec.tools);
  }
  ({
    spec: { toolsets },
  } = await lib.openApiToServerSpec(text, { operations: ids.slice(0, 1000) }));
  return { name: 'API', tools, toolsets: toolsets ?? [] };
}

const listTokens = (tools) => lib.estimateJsonTokens({ tools: tools.map(lib.toolDefinition) });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (n) => n.toLocaleString('en-US');
const ratio = (n, full) => `${((100 * n) / full).toFixed(n / full < 0.01 ? 2 : 1)}%`;

function figures(label, { tools, toolsets }) {
  const full = listTokens(tools);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const setTokens = toolsets.map((ts) =>
    listTokens(ts.tools.map((n) => byName.get(n)).filter(Boolean)),
  );
  const search = lib.estimateJsonTokens({ tools: lib.searchModeTools('API') });
  // One search answer (10 names + one-line descriptions) and one describe_tools answer.
  const searchAnswer = lib.estimateJsonTokens({
    tools: tools
      .slice(0, 10)
      .map((t) => ({ name: t.name, description: (t.description ?? '').split('\n')[0] })),
  });
  const describeOne = listTokens(tools.slice(0, 1));
  const codeOf = (ts) =>
    lib.estimateJsonTokens({ tools: [lib.runCodeTool(ts, lib.DEFAULT_CODE_LIMITS)] });
  const code = codeOf(tools);
  const codeSets = toolsets.map((ts) => codeOf(ts.tools.map((n) => byName.get(n)).filter(Boolean)));
  const perTool = full / tools.length;
  console.log(`\n${label}: ${fmt(tools.length)} tools, ${toolsets.length} proposed toolsets`);
  const rows = [
    ['full (tools mode)', full],
    ...(setTokens.length
      ? [
          ['toolset, median', median(setTokens)],
          ['toolset, largest', Math.max(...setTokens)],
        ]
      : []),
    ['search mode (3 tools)', search],
    ['  + one search answer', searchAnswer],
    ['  + one describe_tools', describeOne],
    ['code mode (run_code)', code],
    ...(codeSets.length ? [['code mode, median toolset', median(codeSets)]] : []),
  ];
  for (const [name, n] of rows) {
    console.log(
      `  ${name.padEnd(27)} ${fmt(n).padStart(9)} tokens  ${ratio(n, full).padStart(7)} of full`,
    );
  }
  console.log(
    `  per tool ≈ ${Math.round(perTool)} tokens; tools mode at the ${lib.SEARCH_MODE_THRESHOLD}-tool threshold ≈ ${fmt(Math.round(perTool * lib.SEARCH_MODE_THRESHOLD))} tokens`,
  );
}

const github = readFileSync(join(root, 'test/fixtures/github-openapi.trimmed.json'), 'utf8');
figures('GitHub REST API (@octokit/openapi 23.0.2, trimmed)', await allTools(github));

figures('Synthetic 600-operation document', await allTools(syntheticOpenApiText()));
