import { Client } from 'pg';
import type { CdcTable } from '@nova/config';
import { parseLsn } from '@nova/events';
import type { Sql } from '@nova/postgres';
import { ProducerError } from '../errors';

export interface SlotInfo {
  plugin: string | null;
  slotType: string;
  database: string | null;
  active: boolean;
  confirmedFlushLsn: bigint | null;
}

/** Fails with a clear message unless the server can do logical decoding. */
export async function checkWalLevel(sql: Sql): Promise<void> {
  const [row] = await sql<{ wal_level: string }[]>`show wal_level`;
  if (row?.wal_level !== 'logical') {
    throw new ProducerError(
      `PostgreSQL wal_level is '${row?.wal_level}', logical decoding needs 'logical': set wal_level = logical in postgresql.conf and restart the server`,
      'WAL_LEVEL_NOT_LOGICAL',
      false,
    );
  }
}

/** Every indexed table must exist and have REPLICA IDENTITY FULL (full old rows for updates and deletes). */
export async function checkReplicaIdentity(sql: Sql, tables: readonly CdcTable[]): Promise<void> {
  const rows = await sql<{ name: string; ident: string | null }[]>`
    select t.name, c.relreplident as ident
    from unnest(${sql.array(tables as string[])}::text[]) as t(name)
    left join pg_class c on c.oid = to_regclass(t.name)`;
  const missing = rows.filter((r) => r.ident === null).map((r) => r.name);
  if (missing.length) throw new ProducerError(`indexed tables not found: ${missing.join(', ')} (check DATABASE_URL and CDC_TABLES)`, 'TABLE_MISSING', false);
  const notFull = rows.filter((r) => r.ident !== 'f').map((r) => r.name);
  if (notFull.length) {
    throw new ProducerError(
      `tables without REPLICA IDENTITY FULL: ${notFull.join(', ')}; deletes and updates would lack the old row. Fix: ${notFull
        .map((t) => `ALTER TABLE ${t} REPLICA IDENTITY FULL;`)
        .join(' ')}`,
      'REPLICA_IDENTITY_NOT_FULL',
      false,
    );
  }
}

/** Creates the publication over the tables, or adds the tables it lacks. */
export async function ensurePublication(sql: Sql, name: string, tables: readonly CdcTable[]): Promise<void> {
  const existing = await sql<{ tablename: string }[]>`select tablename from pg_publication_tables where pubname = ${name}`;
  const [pub] = await sql<{ n: number }[]>`select count(*)::int as n from pg_publication where pubname = ${name}`;
  if (!pub?.n) {
    await sql.unsafe(`create publication ${name} for table ${tables.join(', ')} with (publish = 'insert, update, delete, truncate')`);
    return;
  }
  const have = new Set(existing.map((r) => r.tablename));
  const add = tables.filter((t) => !have.has(t));
  if (add.length) await sql.unsafe(`alter publication ${name} add table ${add.join(', ')}`);
}

/** The bookkeeping table: per slot, whether the initial snapshot of its consistent point completed. */
export async function ensureStateTable(sql: Sql, table: string): Promise<void> {
  await sql.unsafe(`create table if not exists ${table} (
    slot_name text primary key,
    consistent_point pg_lsn,
    snapshot_started_at timestamptz not null default now(),
    snapshot_completed_at timestamptz)`);
}

export async function snapshotCompleted(sql: Sql, table: string, slot: string): Promise<boolean> {
  const rows = await sql.unsafe<{ done: boolean }[]>(`select snapshot_completed_at is not null as done from ${table} where slot_name = $1`, [slot]);
  return rows[0]?.done === true;
}

export async function markSnapshotStarted(sql: Sql, table: string, slot: string, consistentPoint: string | null): Promise<void> {
  await sql.unsafe(
    `insert into ${table} (slot_name, consistent_point, snapshot_started_at, snapshot_completed_at) values ($1, $2, now(), null)
     on conflict (slot_name) do update set consistent_point = excluded.consistent_point, snapshot_started_at = now(), snapshot_completed_at = null`,
    [slot, consistentPoint],
  );
}

export async function markSnapshotCompleted(sql: Sql, table: string, slot: string): Promise<void> {
  await sql.unsafe(`update ${table} set snapshot_completed_at = now() where slot_name = $1`, [slot]);
}

export async function slotInfo(sql: Sql, slot: string): Promise<SlotInfo | undefined> {
  const [row] = await sql<{ plugin: string | null; slot_type: string; database: string | null; active: boolean; confirmed: string | null }[]>`
    select plugin, slot_type, database, active, confirmed_flush_lsn::text as confirmed
    from pg_replication_slots where slot_name = ${slot}`;
  if (!row) return undefined;
  return {
    plugin: row.plugin,
    slotType: row.slot_type,
    database: row.database,
    active: row.active,
    confirmedFlushLsn: row.confirmed ? parseLsn(row.confirmed) : null,
  };
}

export interface CreatedSlot {
  consistentPoint: bigint;
  /** Name of the exported snapshot; valid until `close()` (import it before). */
  snapshotName: string | null;
  close(): Promise<void>;
}

/**
 * Creates a logical slot (pgoutput) on a replication connection. With `exportSnapshot`, the snapshot of the slot's
 * consistent point is exported: a transaction that imports it (SET TRANSACTION SNAPSHOT) sees exactly the commits the
 * slot will not stream, so snapshot + stream have no gap and no overlap. The connection stays open (keeping the
 * snapshot valid) until `close()`.
 */
export async function createSlot(databaseUrl: string, slot: string, options: { exportSnapshot: boolean; temporary?: boolean }): Promise<CreatedSlot> {
  const client = new Client({ connectionString: databaseUrl, replication: 'database', application_name: 'nova-cdc-producer' } as never);
  client.on('error', () => undefined);
  await client.connect();
  try {
    const res = await client.query<{ consistent_point: string; snapshot_name: string | null }>(
      `CREATE_REPLICATION_SLOT "${slot}" ${options.temporary ? 'TEMPORARY ' : ''}LOGICAL pgoutput ${options.exportSnapshot ? 'EXPORT_SNAPSHOT' : 'NOEXPORT_SNAPSHOT'}`,
    );
    const row = res.rows[0]!;
    return {
      consistentPoint: parseLsn(row.consistent_point),
      snapshotName: row.snapshot_name,
      close: () => client.end().catch(() => undefined),
    };
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

/** WAL bytes the slot pins: how far the server's current position is ahead of the slot's confirmed position. */
export async function slotLagBytes(sql: Sql, slot: string): Promise<number | undefined> {
  const [row] = await sql<{ lag: string | null }[]>`
    select (pg_current_wal_lsn() - confirmed_flush_lsn)::text as lag from pg_replication_slots where slot_name = ${slot}`;
  return row?.lag === null || row?.lag === undefined ? undefined : Number(row.lag);
}
