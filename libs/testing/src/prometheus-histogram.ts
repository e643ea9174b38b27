/** One Prometheus histogram's cumulative buckets, as read from a `/metrics` text (all label sets summed). */
export type HistogramBuckets = Array<{ le: number; count: number }>;

export function readHistogram(metricsText: string, name: string): HistogramBuckets {
  const counts = new Map<number, number>();
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(`${name}_bucket`)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    counts.set(bound, (counts.get(bound) ?? 0) + Number(line.split(' ').pop()));
  }
  return [...counts].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/**
 * The q-quantile (0..1) in milliseconds of the observations made after `since` (an earlier reading of the same
 * histogram), interpolated linearly within its bucket as Prometheus's histogram_quantile does. NaN when empty.
 */
export function histogramQuantileMs(buckets: HistogramBuckets, q: number, since: HistogramBuckets = []): number {
  const before = new Map(since.map((b) => [b.le, b.count]));
  const delta = buckets.map((b) => ({ le: b.le, count: b.count - (before.get(b.le) ?? 0) }));
  const total = delta[delta.length - 1]?.count ?? 0;
  if (total <= 0) return NaN;
  const target = total * q;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of delta) {
    if (b.count >= target) {
      if (b.le === Infinity) return prevLe * 1000;
      return (prevLe + ((target - prevCount) / Math.max(1, b.count - prevCount)) * (b.le - prevLe)) * 1000;
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return NaN;
}
