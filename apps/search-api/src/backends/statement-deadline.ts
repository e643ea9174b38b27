/**
 * Cancels a PostgreSQL query (postgres.js `cancel()`, a protocol CancelRequest) that runs longer than `ms`; the
 * query then fails with SQLSTATE 57014. Used instead of a `statement_timeout` connection parameter because that
 * one also applies to postgres.js's own type lookup on connect, whose cancellation it leaves as an unhandled
 * rejection (which would stop the process).
 */
export async function withStatementDeadline<T>(query: PromiseLike<T> & { cancel(): unknown }, ms: number): Promise<T> {
  const timer = setTimeout(() => {
    Promise.resolve(query.cancel()).catch(() => undefined);
  }, ms);
  try {
    return await query;
  } finally {
    clearTimeout(timer);
  }
}
