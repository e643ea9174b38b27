/**
 * PostgreSQL settings for the API's own sessions, carried in the connection URL: postgres.js sends the URL query
 * parameters it does not know itself as startup parameters (as libpq's `options=-c name=value` would), so every
 * pooled connection starts with them. A setting the operator already put in DATABASE_URL wins. A URL the WHATWG
 * parser cannot read (e.g. several hosts) is returned unchanged: the server's defaults then apply.
 */
export function withSessionSettings(url: string, settings: Record<string, string>): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  for (const [name, value] of Object.entries(settings)) {
    if (!parsed.searchParams.has(name)) parsed.searchParams.set(name, value);
  }
  return parsed.toString();
}

/**
 * The planner's cost of reading one index entry, for the search statements. PostgreSQL's default (0.005) makes a GIN
 * scan of a frequent word look cheap: for a common pair of words it intersects two posting lists of ~40,000
 * messages (12 ms) instead of filtering the caller's ~500 messages (3-7 ms). At 0.05 it leads with the caller's
 * conversations for frequent words and with the words for rare ones (measured: PostgreSQL CPU per bench search
 * 3.84 -> 2.93 ms; docs/benchmarks.md). Plans only: the rows a statement returns do not change.
 */
export const SEARCH_PLANNER_SETTINGS = (cpuIndexTupleCost: number): Record<string, string> => ({ cpu_index_tuple_cost: String(cpuIndexTupleCost) });
