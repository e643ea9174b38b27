import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Sql } from '@nova/postgres';

export interface BaseRows {
  userId: string;
  conversationId: string;
}

/** A user and a conversation that messages and posts can reference. */
export async function seedBase(sql: Sql): Promise<BaseRows> {
  const userId = randomUUID();
  const conversationId = randomUUID();
  await sql`insert into users (id, username, display_name) values (${userId}, ${'u' + userId.slice(0, 8)}, 'Test User')`;
  await sql`insert into conversations (id, title) values (${conversationId}, 'test')`;
  return { userId, conversationId };
}

export async function slotConfirmedFlush(sql: Sql, slot: string): Promise<string | undefined> {
  const [row] = await sql<{ lsn: string | null }[]>`select confirmed_flush_lsn::text as lsn from pg_replication_slots where slot_name = ${slot}`;
  return row?.lsn ?? undefined;
}

/** Creates a logical pgoutput slot without exporting a snapshot (test helper; the app uses replication-setup.ts). */
export async function createPlainSlot(url: string, slot: string): Promise<void> {
  const client = new Client({ connectionString: url, replication: 'database' } as never);
  await client.connect();
  try {
    await client.query(`CREATE_REPLICATION_SLOT "${slot}" LOGICAL pgoutput NOEXPORT_SNAPSHOT`);
  } finally {
    await client.end();
  }
}
