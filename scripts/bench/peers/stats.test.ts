import { describe, expect, it } from 'vitest';
import {
  cpuPerRequest,
  cpuRatios,
  median,
  percentile,
  procStatTicks,
  ratios,
  spread,
  summarize,
} from './stats.mjs';

describe('bench:peers statistics', () => {
  it('takes the nearest-rank percentile of a sorted sample', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('reports the median rate and the spread across rounds, counting errors and timeouts as failures', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(spread([90, 100, 110])).toBeCloseTo(0.2);
    expect(spread([100])).toBe(0);
    const s = summarize([
      { count: 100, seconds: 1, latencies: [1, 2], statuses: { 200: 2 } },
      { count: 300, seconds: 1, latencies: [3], statuses: { 200: 1, 503: 1 } },
      { count: 200, seconds: 1, latencies: [4], statuses: { error: 1, timeout: 1 } },
    ]);
    expect(s.rps).toBe(200);
    expect(s.spread).toBe(1);
    expect(s.count).toBe(4);
    expect(s.fivexx).toBe(3);
    expect(s.statuses).toEqual({ 200: 3, 503: 1, error: 1, timeout: 1 });
  });

  it('gives Moat’s ratio to each peer that ran the phase and a dash for the rest', () => {
    const table = ratios({ moat: { rps: 150 }, wop: { rps: 100 } }, 'moat', ['wop', 'oidc']);
    expect(table).toEqual({ wop: '1.50×', oidc: '—' });
  });

  it('reads utime + stime from /proc/<pid>/stat even when the command name holds spaces and parentheses', () => {
    const tail = '0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0';
    const stat = `4242 (workerd (x) y) S 1 4242 4242 0 -1 4194560 9 0 0 0 1234 56 7 8 20 0 ${tail}`;
    expect(procStatTicks(stat)).toBe(1290);
    expect(procStatTicks('garbage')).toBeNaN();
  });

  it('divides the CPU of every measured round by the requests those rounds answered', () => {
    expect(
      cpuPerRequest([
        { count: 100, seconds: 1, latencies: [], statuses: {}, cpuMs: 300 },
        { count: 300, seconds: 1, latencies: [], statuses: {}, cpuMs: 500 },
        { count: 50, seconds: 1, latencies: [], statuses: {} },
      ]),
    ).toBe(2);
    expect(
      cpuPerRequest([{ count: 0, seconds: 1, latencies: [], statuses: {}, cpuMs: 5 }]),
    ).toBeNaN();
    const s = summarize([
      { count: 4, seconds: 1, latencies: [1], statuses: { 200: 4 }, cpuMs: 10 },
    ]);
    expect(s.cpu).toBe(2.5);
  });

  it('gives Moat’s CPU per request over each peer’s, with a dash where either was not measured', () => {
    const table = cpuRatios({ moat: { cpu: 3 }, wop: { cpu: 2 }, oidc: { cpu: NaN } }, 'moat', [
      'wop',
      'oidc',
      'node',
    ]);
    expect(table).toEqual({ wop: '1.50×', oidc: '—', node: '—' });
  });
});
