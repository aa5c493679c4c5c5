import { describe, expect, it } from 'vitest';
import { newId, newTimeOrderedId } from './ids';

describe('ids', () => {
  it('prefixes ids and draws 128 bits of randomness', () => {
    const id = newId('usr');
    expect(id).toMatch(/^usr_[a-z2-7]{26}$/);
    expect(newId('usr')).not.toBe(id);
  });

  it('orders time-ordered ids by creation time', () => {
    const a = newTimeOrderedId('evt', 1_000);
    const b = newTimeOrderedId('evt', 2_000_000_000_000);
    expect(a < b).toBe(true);
  });
});
