import { Registry } from 'prom-client';
import { ProducerMetrics } from './producer-metrics';

describe('ProducerMetrics.countPublished', () => {
  it('counts acknowledged events per topic, however the topics interleave', async () => {
    const metrics = new ProducerMetrics(new Registry());
    metrics.countPublished(['a', 'a', 'b', 'a', 'c', 'c', 'c'].map((topic) => ({ topic })));
    metrics.countPublished([]);
    metrics.countPublished([{ topic: 'b' }]);
    const values = (await metrics.eventsPublished.get()).values.map((v) => [v.labels['topic'], v.value]);
    expect(Object.fromEntries(values)).toEqual({ a: 3, b: 2, c: 3 });
  });
});
