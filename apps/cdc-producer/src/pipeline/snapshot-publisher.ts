import type { CdcTable } from '@nova/config';
import type { Logger } from '@nova/logger';
import type { Sql } from '@nova/postgres';
import type { ChangeMapper } from '../events/change-mapper';
import type { KafkaSink } from '../kafka/kafka-sink';
import type { ProducerMetrics } from '../app/producer-metrics';
import { readSnapshot } from '../postgres/snapshot-reader';

export interface SnapshotPublishOptions {
  sql: Sql;
  sink: KafkaSink;
  mapper: ChangeMapper;
  metrics: ProducerMetrics;
  logger: Logger;
  snapshotName: string;
  /** Consistent point of the slot that exported the snapshot. */
  consistentPoint: bigint;
  tables: readonly CdcTable[];
  chunkRows: number;
  onImported?(): void | Promise<void>;
}

/** Publishes every row of the snapshot as a `*_persisted` / `*_deleted` event and waits until Kafka has them all. */
export async function publishSnapshot(o: SnapshotPublishOptions): Promise<number> {
  const commitTs = new Date().toISOString();
  // Version of every snapshot row: the consistent point minus one byte. The snapshot holds exactly the commits whose
  // commit record starts before the consistent point P, and the slot streams exactly those starting at P or later, so
  // P - 1 is above every change the snapshot includes and strictly below every streamed change: a streamed event can
  // never tie with a snapshot event of the same row (a tie under external_gte would let whichever arrives last win).
  const version = o.consistentPoint - 1n;
  const position = { lsn: version, commitLsn: version, txId: null, commitTs, snapshot: true };
  let total = 0;
  let current: CdcTable | undefined;
  const log = o.logger.child({ component: 'snapshot' });
  try {
    await readSnapshot({
      sql: o.sql,
      snapshotName: o.snapshotName,
      tables: o.tables,
      chunkRows: o.chunkRows,
      onImported: o.onImported,
      onTableStart: (table, rows) => {
        if (current) o.metrics.snapshotRunning.set({ table: current }, 0);
        current = table;
        o.metrics.snapshotRunning.set({ table }, 1);
        o.metrics.snapshotRowsTotal.set({ table }, rows);
        log.info('Snapshot of table started', { table, rows });
      },
      onRows: async (table, rows) => {
        await o.sink.waitForCapacity();
        for (const row of rows) o.sink.send(o.mapper.map(table, 'snapshot', row, position));
        o.metrics.snapshotRows.inc({ table }, rows.length);
        total += rows.length;
      },
    });
    await o.sink.flush();
  } finally {
    if (current) o.metrics.snapshotRunning.set({ table: current }, 0);
  }
  log.info('Snapshot published', { rows: total, tables: o.tables });
  return total;
}
