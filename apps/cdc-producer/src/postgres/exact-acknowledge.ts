import type { LogicalReplicationService } from 'pg-logical-replication';
import { formatLsn } from '@nova/events';

/**
 * Sends a standby status update that reports exactly `lsn` as written, flushed and applied.
 *
 * Trap (pg-logical-replication 2.5): `acknowledge(text)` reports `text + 1`. PostgreSQL then restarts decoding at that
 * position and skips every transaction whose commit record starts before it; a transaction whose commit record starts
 * exactly at `lsn` (the end of the previous commit record) would be skipped although it was never published. So we
 * hand the library `lsn - 1`, and it puts `lsn` on the wire. Regression test: test/replication-traps.spec.ts.
 */
export async function acknowledgeExact(service: LogicalReplicationService, lsn: bigint): Promise<boolean> {
  if (lsn <= 0n) return false; // 0/0 means "nothing yet"; PostgreSQL ignores an invalid position anyway
  return service.acknowledge(formatLsn(lsn - 1n));
}
