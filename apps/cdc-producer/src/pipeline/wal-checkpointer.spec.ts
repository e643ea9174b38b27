import { WalCheckpointer, type PendingPosition } from './wal-checkpointer';

describe('WalCheckpointer', () => {
  it('makes a position durable only once every event before it is acknowledged', () => {
    const durable: PendingPosition[] = [];
    const c = new WalCheckpointer(100n, (p) => durable.push(p));
    c.markPosition({ lsn: 200n, lastSeq: 3, commitTimeMs: 1 });
    c.markPosition({ lsn: 300n, lastSeq: 5, commitTimeMs: 2 });
    expect(c.durableLsn()).toBe(100n);
    c.ackedThrough(2);
    expect(c.durableLsn()).toBe(100n);
    c.ackedThrough(4);
    expect(c.durableLsn()).toBe(200n);
    c.ackedThrough(5);
    expect(c.durableLsn()).toBe(300n);
    expect(durable.map((p) => p.lsn)).toEqual([200n, 300n]);
  });

  it('lets a position with no new events (heartbeat, filtered transaction) through at once when nothing is pending', () => {
    const c = new WalCheckpointer(100n);
    c.ackedThrough(7);
    c.markPosition({ lsn: 150n, lastSeq: 7, commitTimeMs: null });
    expect(c.durableLsn()).toBe(150n);
  });

  it('never moves backwards (replayed transactions after a reconnect)', () => {
    const c = new WalCheckpointer(500n);
    c.markPosition({ lsn: 400n, lastSeq: 0, commitTimeMs: null });
    expect(c.durableLsn()).toBe(500n);
    expect(c.pendingCount()).toBe(0);
  });

  it('keeps a later position waiting behind an earlier unacknowledged one', () => {
    const c = new WalCheckpointer(0n);
    c.markPosition({ lsn: 10n, lastSeq: 1, commitTimeMs: null });
    c.markPosition({ lsn: 20n, lastSeq: 1, commitTimeMs: null });
    expect(c.durableLsn()).toBe(0n);
    c.ackedThrough(1);
    expect(c.durableLsn()).toBe(20n);
  });
});
