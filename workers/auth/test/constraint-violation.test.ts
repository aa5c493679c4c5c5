import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { constraintViolation, isUniqueViolation } from '../src/store/constraint-violation';

async function failure(sql: string, ...args: unknown[]): Promise<unknown> {
  try {
    await env.DB.prepare(sql)
      .bind(...args)
      .run();
  } catch (err) {
    return err;
  }
  throw new Error('expected the statement to fail');
}

describe('constraintViolation (D1 errors as typed codes)', () => {
  it('names the columns of a real D1 unique-index violation', async () => {
    const insert =
      'INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES (?, ?, NULL, ?, 0, 0)';
    const email = `dup-${crypto.randomUUID()}@example.com`;
    await env.DB.prepare(insert).bind(crypto.randomUUID(), email, 'x').run();
    const err = await failure(insert, crypto.randomUUID(), email, 'x');
    expect(constraintViolation(err)).toEqual({
      code: 'unique_violation',
      columns: ['users.email'],
    });
    expect(isUniqueViolation(err, 'users.email')).toBe(true);
    expect(isUniqueViolation(err, 'servers.slug')).toBe(false);
  });

  it('is undefined for errors that are not constraint failures', async () => {
    const err = await failure('SELECT * FROM no_such_table');
    expect(constraintViolation(err)).toBeUndefined();
    expect(isUniqueViolation(new Error('UNIQUE-ish words in a message'))).toBe(false);
  });
});
