import type { CdcTable } from '@nova/config';
import type { Sql } from '@nova/postgres';
import type { PgTextRow } from '../events/pg-text';
import { TABLE_COLUMNS } from './cdc-tables';

export interface SnapshotReadOptions {
  sql: Sql;
  /** Exported snapshot to import (from slot creation). */
  snapshotName: string;
  tables: readonly CdcTable[];
  chunkRows: number;
  /** Called once the snapshot is imported (the exporting connection may close then). */
  onImported?(): void | Promise<void>;
  onTableStart?(table: CdcTable, rows: number): void;
  /** One chunk of rows in primary-key order; awaited before the next chunk is read (back-pressure). */
  onRows(table: CdcTable, rows: PgTextRow[]): Promise<void>;
}

/**
 * Reads the tables as of an exported snapshot, in one REPEATABLE READ READ ONLY transaction, in primary-key order and
 * keyset-paginated chunks (`where id > last order by id limit n`), every column as text in UTC.
 */
export async function readSnapshot(options: SnapshotReadOptions): Promise<void> {
  if (!/^[0-9A-F-]+$/i.test(options.snapshotName)) throw new Error(`unexpected snapshot name ${options.snapshotName}`);
  await options.sql.begin('isolation level repeatable read read only', async (tx) => {
    await tx.unsafe(`set transaction snapshot '${options.snapshotName}'`);
    await options.onImported?.();
    await tx.unsafe(`set local timezone = 'UTC'`);
    await tx.unsafe(`set local datestyle = 'ISO'`);
    for (const table of options.tables) {
      const columns = TABLE_COLUMNS[table].map((c) => `${c}::text as ${c}`).join(', ');
      const [count] = await tx.unsafe<{ n: string }[]>(`select count(*)::text as n from ${table}`);
      options.onTableStart?.(table, Number(count?.n ?? 0));
      let last: string | null = null;
      for (;;) {
        const rows: PgTextRow[] =
          last === null
            ? await tx.unsafe(`select ${columns} from ${table} order by id limit $1`, [options.chunkRows])
            : await tx.unsafe(`select ${columns} from ${table} where id > $1::uuid order by id limit $2`, [last, options.chunkRows]);
        if (rows.length === 0) break;
        await options.onRows(table, rows);
        last = rows[rows.length - 1]!['id']!;
        if (rows.length < options.chunkRows) break;
      }
    }
  });
}
