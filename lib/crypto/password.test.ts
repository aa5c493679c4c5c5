import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, PBKDF2_ITERATIONS, verifyPassword } from './password';

describe('password hashing', () => {
  it('refuses a short password with a message naming the minimum length', () => {
    expect(passwordProblem('short')).toMatch(/at least 10 characters/);
  });

  it('refuses a long password made of too few different characters', () => {
    expect(passwordProblem('aaaaaaaaaaaaaa')).toMatch(/too weak/);
  });

  it('accepts a reasonable password', () => {
    expect(passwordProblem('correct horse battery')).toBeUndefined();
  });

  it('stores scheme, iteration count, salt and hash', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(
      new RegExp(`^pbkdf2-sha256\\$${PBKDF2_ITERATIONS}\\$[\\w-]{22}\\$[\\w-]{43}$`),
    );
  });

  it('uses a fresh salt per hash', async () => {
    expect(await hashPassword('correct horse battery')).not.toBe(
      await hashPassword('correct horse battery'),
    );
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterz', stored)).toBe(false);
  });

  it('rejects malformed or over-cap stored hashes instead of throwing', async () => {
    expect(await verifyPassword('x', 'garbage')).toBe(false);
    expect(await verifyPassword('x', 'pbkdf2-sha256$999999999$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('x', 'md5$1$AAAA$AAAA')).toBe(false);
  });
});
