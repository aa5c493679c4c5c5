import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { auditStatement, listAudit, writeAudit } from '../src/store/audit';

describe('audit store', () => {
  it('writes an event with actor, action, resource, IP, user agent and JSON metadata', async () => {
    const orgId = `org_${crypto.randomUUID()}`;
    await writeAudit(env.DB, {
      orgId,
      actor: 'usr_a',
      action: 'server.created',
      resource: 'srv_1',
      ip: '192.0.2.1',
      userAgent: 'test',
      metadata: { slug: 'weather' },
    });
    const { events } = await listAudit(env.DB, { orgId, limit: 10 });
    expect(events).toEqual([
      expect.objectContaining({
        orgId,
        actor: 'usr_a',
        action: 'server.created',
        resource: 'srv_1',
        ip: '192.0.2.1',
        userAgent: 'test',
        metadata: { slug: 'weather' },
      }),
    ]);
    expect(events[0]!.id).toMatch(/^evt_/);
  });

  it('rolls the event back with the batch it belongs to', async () => {
    const orgId = `org_${crypto.randomUUID()}`;
    await expect(
      env.DB.batch([
        auditStatement(env.DB, { orgId, action: 'server.created' }),
        env.DB.prepare('INSERT INTO no_such_table VALUES (1)'),
      ]),
    ).rejects.toThrow();
    expect((await listAudit(env.DB, { orgId, limit: 10 })).events).toEqual([]);
  });

  it("writes a 'changed' event only when the statement before it in the batch changed a row", async () => {
    const orgId = `org_${crypto.randomUUID()}`;
    const touch = (id: string) =>
      env.DB.prepare('UPDATE rate_limits SET count = count WHERE key = ?').bind(id);
    await env.DB.prepare('INSERT INTO rate_limits (key, window_start, count) VALUES (?, 0, 0)')
      .bind(orgId)
      .run();
    await env.DB.batch([
      touch('no-such-key'),
      auditStatement(env.DB, { orgId, action: 'server.updated', resource: 'none' }, 'changed'),
      touch(orgId),
      auditStatement(env.DB, { orgId, action: 'server.updated', resource: 'one' }, 'changed'),
    ]);
    const { events } = await listAudit(env.DB, { orgId, limit: 10 });
    expect(events.map((e) => e.resource)).toEqual(['one']);
  });

  it('writes a guarded event only when its guard holds', async () => {
    const orgId = `org_${crypto.randomUUID()}`;
    const guard = (key: string) => ({
      sql: 'SELECT 1 FROM rate_limits WHERE key = ?',
      args: [key],
    });
    await env.DB.prepare('INSERT INTO rate_limits (key, window_start, count) VALUES (?, 0, 0)')
      .bind(orgId)
      .run();
    await env.DB.batch([
      auditStatement(env.DB, { orgId, action: 'server.updated', resource: 'lost' }, guard('x')),
      auditStatement(env.DB, { orgId, action: 'server.updated', resource: 'won' }, guard(orgId)),
    ]);
    const { events } = await listAudit(env.DB, { orgId, limit: 10 });
    expect(events.map((e) => e.resource)).toEqual(['won']);
  });
});
