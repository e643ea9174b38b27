import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;

export interface SqlOptions {
  /** Pool size (default 10). */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
  /** Seconds an idle connection is kept (default 30). */
  idleTimeout?: number;
  connectTimeout?: number;
}

/** A pooled `postgres` (porsager) client with quiet notices and bigint-safe int8 handling. */
export function createSql(url: string, options: SqlOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeout ?? 30,
    connect_timeout: options.connectTimeout ?? 10,
    onnotice: () => undefined,
    connection: { application_name: options.applicationName ?? 'nova' },
    types: { bigint: postgres.BigInt },
  }) as unknown as Sql;
}
