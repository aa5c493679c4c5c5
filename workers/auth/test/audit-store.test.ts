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
});
