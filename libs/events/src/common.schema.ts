import { z } from 'zod';
import { isLsn } from './lsn';

/**
 * Building blocks shared by every schema. Ids are PostgreSQL `uuid` values: any 8-4-4-4-12 hexadecimal text (PostgreSQL
 * does not check version bits, so neither do we), normalised to lower case as PostgreSQL prints them, so that an upper-case
 * id from another producer cannot become a second Elasticsearch document.
 */
export const uuidSchema = z
  .guid({ error: 'expected a UUID (8-4-4-4-12 hexadecimal digits)' })
  .transform((id) => id.toLowerCase());

/** ISO 8601 with a time zone, as Debezium sends `timestamptz` (`io.debezium.time.ZonedTimestamp`) and our producer writes. */
export const timestampSchema = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 timestamp with a time zone, e.g. 2026-01-31T12:00:00.123456Z',
});

export const lsnTextSchema = z.string().refine(isLsn, { error: "expected a PostgreSQL LSN 'X/Y' (hexadecimal halves)" });

export const visibilitySchema = z.enum(['public', 'followers', 'private'], {
  error: "expected one of 'public', 'followers', 'private'",
});
export type Visibility = z.infer<typeof visibilitySchema>;

/** Where an event of ours came from in the WAL. `commit_lsn` is the version every consumer orders by. */
export const sourceMetadataSchema = z.object({
  /** LSN of the change record itself. */
  lsn: lsnTextSchema,
  /** LSN of the commit of the transaction that made the change: the document version. */
  commit_lsn: lsnTextSchema,
  tx_id: z.number().int().nonnegative().nullable(),
  table: z.string().min(1, { error: 'expected a table name' }),
  /** True when the event was read by an initial snapshot rather than streamed from the WAL. */
  snapshot: z.boolean(),
  /** Commit time, ISO 8601. */
  commit_ts: timestampSchema,
});
export type SourceMetadata = z.infer<typeof sourceMetadataSchema>;

/** The metadata that rides alongside the original flat fields in every envelope of ours. */
export const eventMetadataShape = {
  event_id: uuidSchema,
  schema_version: z.literal(1, { error: 'expected 1' }),
  source: sourceMetadataSchema,
};

export const SCHEMA_VERSION = 1 as const;
