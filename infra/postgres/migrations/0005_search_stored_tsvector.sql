-- The search API's full-text vectors, stored instead of recomputed at query time.
--
-- With 0003's expression indexes, the index finds the candidate rows but every candidate's vector is computed again
-- from its text: by ts_rank for the ranking, and by the recheck of a phrase (positions are not in a GIN index).
-- For a common word that is to_tsvector() over a few hundred 500-byte messages per search. A stored generated column
-- computes the vector once per write (PostgreSQL's documented approach for faster searches, at the cost of its
-- disk space); the GIN index is built on the column. The bench's PostgreSQL CPU per search fell by about a quarter
-- (docs/benchmarks.md, search-api).
--
-- Logical replication (pgoutput, PostgreSQL 12-17) does not send generated columns, so the change events are
-- unchanged; the Debezium connector excludes them from its snapshot too (infra/debezium).
--
-- Runs in one transaction (the migration runner's). Adding a stored column rewrites each table under an exclusive
-- lock: on a large live table, plan a maintenance window (or add a plain column, backfill it in batches with a
-- trigger keeping it current, then index it CONCURRENTLY).

alter table messages add column if not exists search_tsv tsvector
  generated always as (to_tsvector('simple'::regconfig, content)) stored;
alter table posts add column if not exists search_tsv tsvector
  generated always as (setweight(to_tsvector('simple'::regconfig, title), 'A') || setweight(to_tsvector('simple'::regconfig, content), 'B')) stored;

drop index if exists messages_search_tsv_all_idx;
drop index if exists posts_search_tsv_all_idx;
create index if not exists messages_search_tsv_col_idx on messages using gin (search_tsv);
create index if not exists posts_search_tsv_col_idx on posts using gin (search_tsv);
