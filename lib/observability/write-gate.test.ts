import { describe, expect, it } from 'vitest';
import { gate, MAX_ANONYMOUS_WRITES, withinBudget, writeIntervalMs } from './write-gate';

describe('write gate', () => {
  it('writes once per interval and carries the count of what it held back', () => {
    const key = `k-${Math.random()}`;
    expect(gate(key, 60_000, 1_000)).toBe(1);
    expect(gate(key, 60_000, 2_000)).toBe(0);
    expect(gate(key, 60_000, 3_000)).toBe(0);
    expect(gate(key, 60_000, 61_000)).toBe(3);
  });

  it('reads the interval in seconds with a default of 60', () => {
    expect(writeIntervalMs('0')).toBe(0);
    expect(writeIntervalMs('5')).toBe(5_000);
    expect(writeIntervalMs(undefined)).toBe(60_000);
    expect(writeIntervalMs('soon')).toBe(60_000);
  });

  it('drops anonymous steps past the per-minute budget until the next minute', () => {
    const start = 10_000_000;
    let allowed = 0;
    for (let i = 0; i < MAX_ANONYMOUS_WRITES + 50; i++) if (withinBudget(start + i)) allowed++;
    expect(allowed).toBe(MAX_ANONYMOUS_WRITES);
    expect(withinBudget(start + 60_000)).toBe(true);
  });
});
