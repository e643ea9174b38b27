-- The search API's full-text indexes, without a WHERE clause.
--
-- PostgreSQL's planner ignores the statistics of a partial index's expressions, so with 0002's partial GIN indexes
-- every `to_tsvector(...) @@ query` and `nova_cjk_grams(...) @> grams` was estimated at a fixed 0.5 % of the table,
-- whatever the words. A word found in 80 % of the messages then looked rarer than the caller's conversations, and
-- the plan read its whole posting list (and rechecked every row of it) instead of starting from the conversations.
-- Expression indexes without a predicate give ANALYZE's per-lexeme / per-gram frequencies to the planner, which then
-- leads with whichever side is more selective. Soft-deleted rows are few; queries still filter `deleted_at is null`.
--
-- Runs in one transaction (the migration runner's): the indexes are rebuilt with a table lock. On a large live table,
-- create the new indexes CONCURRENTLY by hand first, under these names; this file then only drops the old ones.

drop index if exists messages_search_tsv_idx;
drop index if exists messages_search_grams_idx;
drop index if exists posts_search_tsv_idx;
drop index if exists posts_search_grams_idx;

create index if not exists messages_search_tsv_all_idx on messages using gin (to_tsvector('simple'::regconfig, content));
create index if not exists messages_search_grams_all_idx on messages using gin (nova_cjk_grams(content));
create index if not exists posts_search_tsv_all_idx on posts using gin (
  (setweight(to_tsvector('simple'::regconfig, title), 'A') || setweight(to_tsvector('simple'::regconfig, content), 'B'))
);
create index if not exists posts_search_grams_all_idx on posts using gin (nova_cjk_grams(title || ' ' || content));
