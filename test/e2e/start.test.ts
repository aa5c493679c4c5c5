import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatform } from '../support/platform';

describe('npm start', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'moat-start-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('serves both Workers, applies migrations once and keeps state across restarts', async () => {
    const first = await startPlatform({ stateDir });
    try {
      expect(first.output()).toMatch(/applied [1-9]\d* database migration/);
      const auth = await fetch(`${first.issuer}/api/health`);
      expect(auth.status).toBe(200);
      expect(await auth.json()).toMatchObject({ ok: true });
      const runner = await fetch(`${first.runnerOrigin}/api/health`);
      expect(runner.status).toBe(200);
      expect(await runner.json()).toMatchObject({ ok: true, service: 'moat-runner' });
    } finally {
      await first.stop();
    }

    const second = await startPlatform({ stateDir });
    try {
      expect(second.output()).toContain('database schema up to date');
      expect((await fetch(`${second.issuer}/api/health`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
