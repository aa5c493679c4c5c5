import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { alertAad, sealSecret } from '../../../lib/crypto/envelope';
import { callTool, initialize } from './support/mcp';
import { flushedMetrics } from './support/metrics';
import {
  downstream,
  downstreamRequests,
  publishWithApiKey,
  uniqueSlug,
  weatherSpec,
  type Seeded,
} from './support/servers';
import { mintToken } from './support/tokens';

const SECRET = 'whsec_test_only_alert_secret';

/** The server_alerts row PUT /v1/servers/:id/alerts writes. */
async function setWebhook(server: Seeded, url: string): Promise<void> {
  const e = await sealSecret(env.MASTER_KEY, SECRET, alertAad(server.id));
  await env.DB.prepare(
    `INSERT INTO server_alerts (server_id, url, ciphertext, iv, wrapped_key, key_version, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'usr_owner', ?, ?)`,
  )
    .bind(server.id, url, e.ciphertext, e.iv, e.wrappedKey, e.keyVersion, Date.now(), Date.now())
    .run();
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function waitForRequests(tag: string, n: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const seen = await downstreamRequests(tag);
    if (seen.length >= n || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function failingServer() {
  const slug = uniqueSlug('alerts');
  const spec = weatherSpec(slug);
  spec.tools.push({
    name: 'broken',
    description: 'Always 503',
    inputSchema: { type: 'object', properties: {} },
    annotations: { readOnlyHint: true },
    http: { method: 'GET', url: downstream('/status?code=503') },
  });
  const server = await publishWithApiKey(spec, 'sk_alerts');
  const token = await mintToken(slug, { scope: 'mcp:read' });
  const session = await initialize(slug, token);
  const call = () => callTool(slug, token, session, 'broken', {});
  return { server, call };
}

describe('alert webhooks', () => {
  it('posts one signed downstream_failing alert after repeated 5xx, retrying a failed delivery', async () => {
    const tag = `hook-${Date.now()}`;
    const { server, call } = await failingServer();
    await setWebhook(server, downstream(`/hook?tag=${tag}&fail=1`));
    for (let i = 0; i < 3; i++) await call();

    // The first delivery gets 500; the retry (100 ms later in tests) gets 204.
    const deliveries = await waitForRequests(tag, 2);
    expect(deliveries).toHaveLength(2);
    const [first, retry] = deliveries;
    expect(retry!.body).toBe(first!.body);
    expect(retry!.headers['x-moat-delivery']).toBe(first!.headers['x-moat-delivery']);
    expect(first!.method).toBe('POST');
    expect(first!.headers['x-moat-event']).toBe('downstream_failing');
    const body = JSON.parse(retry!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'downstream_failing',
      serverId: server.id,
      calls: 3,
      errors: 3,
      downstreamFailures: 3,
    });
    expect(String(body.summary)).toContain('3 of 3');

    // X-Moat-Signature: t=<seconds>,v1=HMAC-SHA256(secret, "<t>.<body>")
    const sig = retry!.headers['x-moat-signature']!;
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig);
    expect(match).not.toBeNull();
    expect(Math.abs(Number(match![1]) - Date.now() / 1000)).toBeLessThan(60);
    expect(match![2]).toBe(await hmacHex(SECRET, `${match![1]}.${retry!.body}`));
    expect(match![2]).not.toBe(await hmacHex('another secret', `${match![1]}.${retry!.body}`));

    // Still failing: no second alert of the same type within the cooldown.
    for (let i = 0; i < 3; i++) await call();
    await flushedMetrics(server.id, 6);
    await new Promise((r) => setTimeout(r, 500));
    expect(await downstreamRequests(tag)).toHaveLength(2);
  });

  it('sends nothing for a server whose errors stay under the thresholds', async () => {
    const tag = `hook-quiet-${Date.now()}`;
    const { server, call } = await failingServer();
    await setWebhook(server, downstream(`/hook?tag=${tag}`));
    await call();
    await call();
    await flushedMetrics(server.id, 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(await downstreamRequests(tag)).toHaveLength(0);
  });
});
