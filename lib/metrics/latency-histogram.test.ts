import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  emptyHistogram,
  LATENCY_BUCKETS,
  mergeInto,
  quantile,
} from './latency-histogram';

describe('the latency histogram', () => {
  it('puts a latency in the first bucket whose upper bound is above it, and 30 s+ in the last', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(1)).toBe(1);
    expect(bucketOf(9.5)).toBe(bucketOf(8));
    expect(bucketOf(29_999)).toBe(LATENCY_BUCKETS - 2);
    expect(bucketOf(120_000)).toBe(LATENCY_BUCKETS - 1);
  });

  it('reads percentiles by interpolating inside the rank’s bucket', () => {
    const h = emptyHistogram();
    h[bucketOf(10)] = 10; // [8, 12)
    h[bucketOf(60)] = 10; // [50, 80)
    expect(quantile(h, 0.5)).toBe(12);
    expect(quantile(h, 0.95)).toBe(77);
    expect(quantile(emptyHistogram(), 0.5)).toBeNull();
  });

  it('merges histograms bucket by bucket, so a merged percentile sees every sample', () => {
    const a = emptyHistogram();
    const b = emptyHistogram();
    a[bucketOf(2)] = 99;
    b[bucketOf(45_000)] = 1;
    const merged = mergeInto(emptyHistogram(), a);
    mergeInto(merged, b);
    expect(merged.reduce((x, y) => x + y, 0)).toBe(100);
    expect(quantile(merged, 1)).toBe(30_000);
  });
});
