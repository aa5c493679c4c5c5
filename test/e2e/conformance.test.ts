// The MCP conformance suites against a hosted server, through a bearer-adding proxy: 0.2 for the
// 2026-07-28 requirements and 0.1.16 for 2025-11-25, on the same URL and ServerSpec. Every
// scenario that does not need the suites' fixture server (its test_* tools, test:// resources and
// prompts, tasks) must pass; docs/runner.md "Conformance" lists the fixture-only ones and why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBearerProxy } from '../support/bearer-proxy';
import { failures, hostedServerWithToken, runConformance } from '../support/conformance';
import { startPlatform, type Platform } from '../support/platform';

/** 2026-07-28 scenarios that must pass whole. */
const MODERN = [
  'tools-list',
  'server-sse-multiple-streams',
  'dns-rebinding-protection',
  'http-header-validation',
  'input-required-result-unsupported-methods',
  'input-required-result-validate-input',
];
/** 2026-07-28 scenarios that must pass except for checks that need fixture tools or primitives. */
const MODERN_PARTLY: Record<string, string[]> = {
  'server-stateless': [
    'sep-2575-server-rejects-undeclared-capability', // test_missing_capability
    'sep-2575-missing-capability-http-400', // test_missing_capability
    'sep-2575-http-server-no-independent-requests-on-stream', // test_streaming_elicitation
    'sep-2575-server-no-log-without-loglevel', // test_logging_tool
  ],
  // The resource and prompt lists belong to hosted resources/prompts (issue 12, their own slice).
  caching: [
    'sep-2549-prompts-list-caching-hints',
    'sep-2549-resources-list-caching-hints',
    'sep-2549-resources-templates-list-caching-hints',
  ],
};
/** 2025-11-25 scenarios that must pass whole. */
const LEGACY = [
  'server-initialize',
  'ping',
  'logging-set-level',
  'tools-list',
  'server-sse-multiple-streams',
  'dns-rebinding-protection',
];

let platform: Platform;
let proxy: Awaited<ReturnType<typeof startBearerProxy>>;

beforeAll(async () => {
  platform = await startPlatform();
  const { mcpUrl, token } = await hostedServerWithToken(platform);
  proxy = await startBearerProxy(mcpUrl, token);
});

afterAll(async () => {
  await proxy?.close();
  await platform?.stop();
});

describe('MCP conformance of a hosted server', () => {
  it('passes the 2026-07-28 server scenarios that need no fixture server', async () => {
    const checks = await runConformance('conformance-next', proxy.url, [
      '--requirements',
      '2026-07-28',
    ]);
    const failed = [
      ...MODERN.flatMap((s) => failures(checks, s)),
      ...Object.entries(MODERN_PARTLY).flatMap(([s, fixtureOnly]) =>
        failures(checks, s, fixtureOnly),
      ),
    ];
    expect(failed).toEqual([]);
  });

  it('passes the 2025-11-25 server scenarios that need no fixture server', async () => {
    const checks = await runConformance('conformance', proxy.url, ['--spec-version', '2025-11-25']);
    expect(LEGACY.flatMap((s) => failures(checks, s))).toEqual([]);
  });
});
