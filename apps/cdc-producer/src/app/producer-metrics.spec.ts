import { Registry } from 'prom-client';
import { ProducerMetrics } from './producer-metrics';

describe('ProducerMetrics.countPublished', () => {
  it('counts acknowledged events per topic across batches', async () => {
    const metrics = new ProducerMetrics(new Registry());
    metrics.countPublished([{ topic: 'a', count: 3 }, { topic: 'b', count: 1 }, { topic: 'c', count: 3 }]);
    metrics.countPublished([]);
    metrics.countPublished([{ topic: 'b', count: 1 }]);
    const values = (await metrics.eventsPublished.get()).values.map((v) => [v.labels['topic'], v.value]);
    expect(Object.fromEntries(values)).toEqual({ a: 3, b: 2, c: 3 });
  });
});
