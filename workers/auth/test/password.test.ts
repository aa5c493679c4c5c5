import { describe, expect, it } from 'vitest';
import { hashPassword, PBKDF2_ITERATIONS, verifyPassword } from '../../../lib/crypto/password';

describe('PBKDF2 in workerd', () => {
  it('hashes and verifies at the cap inside the Workers runtime', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored.startsWith(`pbkdf2-sha256$${PBKDF2_ITERATIONS}$`)).toBe(true);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('wrong horse battery', stored)).toBe(false);
  });
});
