import { histogramQuantileMs, readHistogram } from './prometheus-histogram';

const text = (counts: number[]) =>
  [
    '# TYPE x_seconds histogram',
    `x_seconds_bucket{le="0.01",topic="a"} ${counts[0]}`,
    `x_seconds_bucket{le="0.1",topic="a"} ${counts[1]}`,
    `x_seconds_bucket{le="+Inf",topic="a"} ${counts[2]}`,
    `x_seconds_bucket{le="0.01",topic="b"} 0`,
    `x_seconds_bucket{le="0.1",topic="b"} 0`,
    `x_seconds_bucket{le="+Inf",topic="b"} 0`,
    `x_seconds_sum{topic="a"} 1`,
    `x_seconds_count{topic="a"} ${counts[2]}`,
    'x_seconds_other_bucket{le="0.01"} 999',
  ].join('\n');

describe('histogramQuantileMs', () => {
  it('interpolates within the bucket holding the quantile, summing label sets', () => {
    const buckets = readHistogram(text([50, 100, 100]), 'x_seconds');
    expect(buckets).toEqual([
      { le: 0.01, count: 50 },
      { le: 0.1, count: 100 },
      { le: Infinity, count: 100 },
    ]);
    expect(histogramQuantileMs(buckets, 0.5)).toBeCloseTo(10);
    expect(histogramQuantileMs(buckets, 0.99)).toBeCloseTo(10 + (49 / 50) * 90);
  });

  it('counts only what was observed after an earlier reading, and says NaN when nothing was', () => {
    const earlier = readHistogram(text([50, 50, 50]), 'x_seconds');
    const later = readHistogram(text([50, 60, 70]), 'x_seconds');
    expect(histogramQuantileMs(later, 0.25, earlier)).toBeCloseTo(10 + (5 / 10) * 90);
    expect(histogramQuantileMs(later, 0.99, earlier)).toBe(100); // in +Inf: the last finite bound
    expect(histogramQuantileMs(earlier, 0.5, earlier)).toBeNaN();
  });
});
