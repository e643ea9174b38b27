/**
 * Column values arrive as PostgreSQL's text output (pgoutput text format, and `::text` casts in snapshots), from a
 * session whose TimeZone is UTC, so a row streamed and the same row snapshotted produce identical events.
 */
export type PgTextRow = Readonly<Record<string, string | null | undefined>>;

/** Microseconds since the Unix epoch (pgoutput's commit time) -> ISO 8601 UTC with microseconds. */
export function microsToIso(micros: bigint): string {
  const iso = new Date(Number(micros / 1000n)).toISOString(); // ...sss.mmmZ
  const extra = (((micros % 1000n) + 1000n) % 1000n).toString().padStart(3, '0');
  return `${iso.slice(0, -1)}${extra}Z`;
}

export function requireText(row: PgTextRow, column: string): string {
  const v = row[column];
  if (v === null || v === undefined) throw new Error(`column ${column} is null or missing`);
  return v;
}
