import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sql } from './client';
import { PostgresAdapterError } from './errors';

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

// Any constant works; it serialises concurrent runners (two apps starting at once, tests in parallel).
const MIGRATION_LOCK = 4_242_001;

/**
 * Applies `NNNN_name.sql` files from `dir` in name order, each in its own transaction, recording each in
 * `schema_migrations`. Already-applied files are skipped; a file whose content changed after it was
 * applied is an error (migrations are append-only).
 */
export async function runMigrations(sql: Sql, dir: string): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  const result: MigrationResult = { applied: [], skipped: [] };
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`create table if not exists schema_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`;
  });
  for (const file of files) {
    const body = await readFile(path.join(dir, file), 'utf8');
    const checksum = createHash('sha256').update(body).digest('hex');
    await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      const [row] = await tx<{ checksum: string }[]>`select checksum from schema_migrations where name = ${file}`;
      if (row) {
        if (row.checksum !== checksum) {
          throw new PostgresAdapterError(`migration ${file} changed after it was applied; add a new migration instead`, 'MIGRATION_CHANGED', false);
        }
        result.skipped.push(file);
        return;
      }
      await tx.unsafe(body);
      await tx`insert into schema_migrations (name, checksum) values (${file}, ${checksum})`;
      result.applied.push(file);
    });
  }
  return result;
}

