import { randomBytes } from 'node:crypto';
import { createSql } from '@nova/postgres';
import { migrate } from './postgres-harness';

export const TEMPLATE_DB = 'nova_test_template';

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database (its replication slots and connections first). */
  drop(): Promise<void>;
}

function withDatabase(serverUrl: string, db: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Creates (or recreates) the migrated template database that test databases are cloned from. */
export async function prepareTemplate(serverUrl: string): Promise<void> {
  const admin = createSql(serverUrl, { max: 1 });
  try {
    await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  await migrate(withDatabase(serverUrl, TEMPLATE_DB));
}

/** The server URL the Jest global setup published (set in every test worker). */
export function testServerUrl(): string {
  const url = process.env['NOVA_TEST_PG_URL'];
  if (!url) throw new Error('NOVA_TEST_PG_URL is not set: add the postgres-harness globalSetup to this Jest project');
  return url;
}

/** A fresh, migrated database of its own for one test suite. */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase();
  const admin = createSql(serverUrl, { max: 1 });
  try {
    await admin.unsafe(`create database ${name} template ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: async () => {
      const sql = createSql(serverUrl, { max: 1 });
      try {
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
        await sql`select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = ${name} and not active`;
        await sql.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}
