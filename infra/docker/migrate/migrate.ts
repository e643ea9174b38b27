/**
 * One-shot migration runner for the compose stack (service `migrate`): applies infra/postgres/migrations/NNNN_*.sql
 * through the same runner the apps' tests use (`runMigrations` from @nova/postgres), so `schema_migrations` and the
 * checksums are identical everywhere. Already-applied files are skipped, so running it on every `docker compose up`
 * picks up migrations added later without touching the ones applied before. Exit code 0 = schema up to date.
 */
import path from 'node:path';
import { redactUrl } from '@nova/config';
import { createLogger } from '@nova/logger';
import { createSql, runMigrations } from '@nova/postgres';

async function main(): Promise<void> {
  const logger = createLogger({ service: 'migrate', level: process.env['LOG_LEVEL'] ?? 'info', format: 'json' });
  const url = process.env['DATABASE_URL'];
  if (!url) {
    logger.error('DATABASE_URL is required');
    process.exit(2);
  }
  const dir = process.env['MIGRATIONS_DIR'] ?? path.join(__dirname, 'migrations');
  const sql = createSql(url, { max: 1, applicationName: 'nova-migrate' });
  try {
    const result = await runMigrations(sql, dir);
    logger.info('Migrations up to date', { database: redactUrl(url), dir, applied: result.applied, skipped: result.skipped.length });
  } catch (err) {
    logger.error('Migration failed', { database: redactUrl(url), dir, error: err instanceof Error ? err.message : String(err) });
    process.exitCode = 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

void main();
