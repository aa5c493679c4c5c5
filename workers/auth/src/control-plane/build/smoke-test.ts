// The last build step: the published server answers `initialize` and `tools/list` at its live URL,
// through the runner (service binding RUNNER), with a build-scoped access token from this AS.
import { listedToolNames } from '../../../../../lib/spec/discovery-tools';
import { serverScopes, type ServerSpec } from '../../../../../lib/spec/server-spec';
import { mintBuildToken } from './build-token';
import type { Log } from './build-step';

const PROTOCOL_VERSION = '2025-11-25';
// Runner isolates cache slug → version for up to 5 s (workers/runner/src/server-cache.ts), so a
// just-published version, or a slug that was unknown a moment ago, may take that long to appear.
// A 404 or a stale tool list is retried within this budget before the smoke test fails.
const PROPAGATION_BUDGET_MS = 8000;

export type SmokeResult =
  { ok: true; skipped: boolean } | { ok: false; skipped: false; message: string; fix: string };

/** The JSON-RPC message in a Streamable HTTP answer (JSON body or SSE `data:` lines). */
async function rpcAnswer(
  res: Response,
): Promise<{ result?: Record<string, unknown>; error?: { message?: string } } | undefined> {
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const payloads = type.includes('text/event-stream')
    ? text
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
    : [text];
  for (const p of payloads) {
    try {
      const msg = JSON.parse(p) as {
        id?: unknown;
        result?: Record<string, unknown>;
        error?: { message?: string };
      };
      if (msg.id !== undefined && (msg.result || msg.error)) return msg;
    } catch {
      /* not JSON: keep looking */
    }
  }
  return undefined;
}

export async function smokeTest(
  env: Env,
  b: { buildId: string; serverId: string; sub: string; spec: ServerSpec },
  log: Log,
): Promise<SmokeResult> {
  const url = `${env.RUNNER_ORIGIN.replace(/\/+$/, '')}/${b.spec.slug}/mcp`;
  const token = await mintBuildToken(env, {
    sub: b.sub,
    aud: url,
    server_id: b.serverId,
    scope: serverScopes(b.spec).join(' '),
    jti: `${b.buildId}.smoke`,
  });
  if (!token.ok) {
    await log('smoke', 'warn', `Smoke test skipped: ${token.reason}`);
    return { ok: true, skipped: true };
  }
  await log('smoke', 'info', `Calling ${url} (initialize, tools/list) with a build-scoped token…`);
  const headers = {
    authorization: `Bearer ${token.token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  const failed = (message: string): SmokeResult => ({
    ok: false,
    skipped: false,
    message: `The live URL did not pass the smoke test: ${message}`,
    fix: 'Check the runner (RUNNER_ORIGIN, /api/health) and run the build again.',
  });
  const deadline = Date.now() + PROPAGATION_BUDGET_MS;
  let delay = 250;
  let waited = false;
  for (;;) {
    const result = await probe(env, url, headers, b.spec, failed);
    if (result.ok || !result.retryable || Date.now() + delay > deadline) {
      if (result.ok) {
        await log(
          'smoke',
          'ok',
          `Live: initialize answered (${result.negotiated}); tools/list shows all ${result.tools} tool(s).`,
        );
        return { ok: true, skipped: false };
      }
      return result.failure;
    }
    if (!waited) {
      await log('smoke', 'info', 'Waiting for the runner to pick up the new version…');
      waited = true;
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
}

type Probe =
  | { ok: true; negotiated: string; tools: number }
  | { ok: false; retryable: boolean; failure: SmokeResult };

/** One initialize + tools/list round at the live URL. */
async function probe(
  env: Env,
  url: string,
  headers: Record<string, string>,
  spec: ServerSpec,
  failed: (message: string) => SmokeResult,
): Promise<Probe> {
  const no = (message: string, retryable = false): Probe => ({
    ok: false,
    retryable,
    failure: failed(message),
  });
  try {
    const init = await env.RUNNER.fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: { name: 'moat-build', version: '1' },
        },
      }),
    });
    const session = init.headers.get('mcp-session-id');
    const initAnswer = await rpcAnswer(init);
    if (!init.ok || !initAnswer?.result) {
      return no(`initialize answered ${init.status}.`, init.status === 404);
    }
    const negotiated = String(initAnswer.result.protocolVersion ?? PROTOCOL_VERSION);
    const sessionHeaders = {
      ...headers,
      'mcp-protocol-version': negotiated,
      ...(session ? { 'mcp-session-id': session } : {}),
    };
    await (
      await env.RUNNER.fetch(url, {
        method: 'POST',
        headers: sessionHeaders,
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      })
    ).body?.cancel();
    const list = await env.RUNNER.fetch(url, {
      method: 'POST',
      headers: sessionHeaders,
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
    });
    const listAnswer = await rpcAnswer(list);
    if (session)
      await (
        await env.RUNNER.fetch(url, { method: 'DELETE', headers: sessionHeaders })
      ).body?.cancel();
    const tools =
      (listAnswer?.result?.tools as { name?: string }[] | undefined)?.map((t) => t.name) ?? [];
    // In search or code mode the list holds the mode's tools (lib/spec/discovery-tools.ts).
    const missing = listedToolNames(spec).filter((n) => !tools.includes(n));
    if (!list.ok) return no(`tools/list answered ${list.status}.`, list.status === 404);
    // A stale isolate may still serve the previous version's tools: retryable.
    if (missing.length > 0) return no(`tools/list lacks ${missing.join(', ')}.`, true);
    return { ok: true, negotiated, tools: tools.length };
  } catch {
    return no('the runner could not be reached.');
  }
}
