import { startEmbeddedKafka, type EmbeddedKafka } from '@nova/embedded-kafka';
import { createSql, type Sql } from '@nova/postgres';
import { createTestDatabase, type TestDatabase } from '@nova/postgres-harness';
import { seedBase, type BaseRows } from './source-db';

export interface SourceSuite {
  db: TestDatabase;
  sql: Sql;
  base: BaseRows;
  broker: EmbeddedKafka;
}

/** What every producer integration suite starts with: a database of its own (seeded) and a broker of its own. */
export async function openSourceSuite(dbPrefix: string): Promise<SourceSuite> {
  const db = await createTestDatabase(dbPrefix);
  const sql = createSql(db.url, { max: 4 });
  const base = await seedBase(sql);
  const broker = await startEmbeddedKafka({ groupInitialRebalanceDelayMs: 0 });
  return { db, sql, base, broker };
}

/** Runs the suite's cleanups (last first, failures ignored), then closes what `openSourceSuite` opened. */
export async function closeSourceSuite(suite: Partial<SourceSuite>, cleanups: Array<() => Promise<unknown>> = []): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  await suite.sql?.end();
  await suite.db?.drop();
  await suite.broker?.stop();
}
