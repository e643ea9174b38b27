import { CommitCoalescer, type OffsetsByTopic } from './commit-coalescer';

/** A send that records each request and settles it when told. */
function recordingSend() {
  const requests: Array<{ offsets: OffsetsByTopic; settle: (err?: Error) => void }> = [];
  const send = (offsets: OffsetsByTopic) =>
    new Promise<void>((resolve, reject) => requests.push({ offsets, settle: (err) => (err ? reject(err) : resolve()) }));
  return { requests, send };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('CommitCoalescer', () => {
  it('sends the commits of one turn as one request, grouped by topic, and settles each caller with it', async () => {
    const { requests, send } = recordingSend();
    const commits = new CommitCoalescer();
    const settled: string[] = [];
    const a = commits.commit('t1', 0, '10', send).then(() => settled.push('a'));
    const b = commits.commit('t1', 2, '7', send).then(() => settled.push('b'));
    const c = commits.commit('t2', 1, '3', send).then(() => settled.push('c'));
    await turn();
    expect(requests.map((r) => r.offsets)).toEqual([
      {
        topics: [
          { topic: 't1', partitions: [{ partition: 0, offset: '10' }, { partition: 2, offset: '7' }] },
          { topic: 't2', partitions: [{ partition: 1, offset: '3' }] },
        ],
      },
    ]);
    expect(settled).toEqual([]); // nobody is told before the broker answered
    requests[0].settle();
    await Promise.all([a, b, c]);
    expect(settled.sort()).toEqual(['a', 'b', 'c']);
  });

  it('a failed request rejects every caller in it, and later commits go in a request of their own', async () => {
    const { requests, send } = recordingSend();
    const commits = new CommitCoalescer();
    const a = commits.commit('t', 0, '5', send);
    const b = commits.commit('t', 1, '9', send);
    await turn();
    const c = commits.commit('t', 2, '4', send); // asked while the first request is in flight
    await turn();
    expect(requests).toHaveLength(2);
    expect(requests[1].offsets).toEqual({ topics: [{ topic: 't', partitions: [{ partition: 2, offset: '4' }] }] });
    requests[0].settle(new Error('rebalance in progress'));
    requests[1].settle();
    await expect(a).rejects.toThrow('rebalance in progress');
    await expect(b).rejects.toThrow('rebalance in progress');
    await expect(c).resolves.toBeUndefined();
  });

  it('keeps the highest offset asked for a partition within one turn', async () => {
    const { requests, send } = recordingSend();
    const commits = new CommitCoalescer();
    const done = [commits.commit('t', 0, '5', send), commits.commit('t', 0, '8', send)];
    await turn();
    expect(requests[0].offsets).toEqual({ topics: [{ topic: 't', partitions: [{ partition: 0, offset: '8' }] }] });
    requests[0].settle();
    await Promise.all(done);
  });
});
