// ServerSpec `allowedOrigins` through the control plane: the owner's list publishes a version.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, signUp } from './support/accounts';
import { createServer } from './support/servers';

describe('allowedOrigins on /v1/servers/:id', () => {
  it('publishes a new version when the owner sets the browser origins, and the runner answers them', async () => {
    const alice = await signUp();
    const created = await createServer(alice);
    const res = await api(`/v1/servers/${created.id}`, {
      as: alice,
      method: 'PATCH',
      body: { allowedOrigins: ['https://app.example.com', 'http://localhost:5173'] },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      version: 2,
      spec: { allowedOrigins: ['https://app.example.com', 'http://localhost:5173'] },
    });

    const preflight = await env.RUNNER.fetch(`${env.RUNNER_ORIGIN}/${created.slug}/mcp`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('refuses an origin that is not in browser form with 422 naming the entry', async () => {
    const alice = await signUp();
    const created = await createServer(alice);
    const res = await api(`/v1/servers/${created.id}`, {
      as: alice,
      method: 'PATCH',
      body: { allowedOrigins: ['https://app.example.com/'] },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        fields: [
          {
            path: 'allowedOrigins[0]',
            message: expect.stringContaining('https://app.example.com'),
          },
        ],
      },
    });
    const get = await (
      await api(`/v1/servers/${created.id}`, { as: alice })
    ).json<{ version: number }>();
    expect(get.version).toBe(1);
  });
});
