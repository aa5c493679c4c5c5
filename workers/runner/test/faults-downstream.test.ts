// The downstream API misbehaving — hanging before or in the middle of its answer, resetting the
// connection, cut off mid-body, or answering garbage labelled as JSON — gives the tool call a
// clean tool error (isError, a plain sentence) within the tool's timeout, and the same MCP
// session keeps working. The misbehaving API is a real local HTTP server
// (support/downstream-server.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { callTool, initialize } from './support/mcp';
import { getTool, publishWithApiKey, uniqueSlug, weatherSpec } from './support/servers';
import { mintToken } from './support/tokens';

const TIMEOUT_MS = 400;

const tool = (name: string, path: string) => getTool(name, path, TIMEOUT_MS);

let slug: string;
let token: string;
let sessionId: string;

beforeAll(async () => {
  slug = uniqueSlug('faults');
  const spec = weatherSpec(slug);
  spec.tools.push(
    tool('hangs', '/slow?tag=fault-hang&ms=8000'),
    tool('stalls', '/stall?tag=fault-stall'),
    tool('resets', '/reset?tag=fault-reset'),
    tool('truncates', '/truncated?tag=fault-trunc'),
    tool('garbage', '/garbage?tag=fault-garbage'),
  );
  await publishWithApiKey(spec, 'sk_test_faults');
  token = await mintToken(slug);
  sessionId = await initialize(slug, token);
});

async function callTimed(name: string) {
  const started = Date.now();
  const { res, message } = await callTool(slug, token, sessionId, name, {});
  return { res, message, ms: Date.now() - started };
}

async function sessionStillWorks() {
  const { message } = await callTool(slug, token, sessionId, 'get_forecast', {
    city: 'Faultville',
  });
  expect(message.result?.isError).toBeUndefined();
  expect(JSON.stringify(message.result)).toContain('Faultville');
}

describe('a misbehaving downstream API', () => {
  for (const name of ['hangs', 'stalls', 'resets', 'truncates']) {
    it(`${name}: the tool answers a clean error within its timeout and the session stays usable`, async () => {
      const { res, message, ms } = await callTimed(name);
      expect(res.status).toBe(200);
      expect(message.error).toBeUndefined();
      expect(message.result?.isError).toBe(true);
      const text = (message.result?.content as { text: string }[])[0]!.text;
      expect(text).toMatch(/^(The API |Could not reach )/);
      expect(text).not.toMatch(/Error:|at \w+ \(|TypeError|stack/);
      expect(ms).toBeLessThan(TIMEOUT_MS + 1500);
      await sessionStillWorks();
    });
  }

  it('garbage labelled as JSON: returned as text, never a crash, and the session stays usable', async () => {
    const { res, message, ms } = await callTimed('garbage');
    expect(res.status).toBe(200);
    expect(message.error).toBeUndefined();
    expect(JSON.stringify(message.result)).toContain('not json');
    expect(ms).toBeLessThan(TIMEOUT_MS + 1500);
    await sessionStillWorks();
  });
});
