-- nova_cjk_grams() without a per-call executor: the same grams from three C-level builtins.
--
-- 0002's definition (array_agg(distinct) over regexp_matches x generate_series) runs a small query for every row
-- written: every insert and every non-HOT update (edits, soft deletes) of messages and posts evaluates it for the
-- gram indexes. It cost ~10.5 µs per bench-like 6-word message and ~165 µs per 100-character Chinese text.
-- This one is one PL/pgSQL expression over C-level builtins (PL/pgSQL evaluates a simple expression without
-- starting an executor):
--   1. regexp_replace turns every run of non-CJK characters into one space: only the CJK runs are left;
--   2. regexp_replace turns every character c into 'c c c', so 'ABC' becomes 'A A AB B BC C C': the text holds
--      every character and every pair of neighbours in a run (a space never pairs: it only makes empty tokens);
--   3. string_to_array cuts at the spaces and array_remove drops the empty tokens.
-- ~3.2 µs per bench-like message, ~16 µs per 100 Chinese characters (docs/benchmarks.md, "PostgreSQL's share").
--
-- The result is the same SET of grams for every input (infra/postgres/test/cjk-grams.spec.ts compares it with
-- 0002's definition on generated texts), but no longer sorted nor free of duplicates. Nothing depends on that:
-- - its only users are the GIN indexes and `@>` (set semantics). GIN sorts each value's keys and removes
--   duplicates itself (ginExtractEntries, "The resulting key values are sorted, and any duplicates are removed"),
--   so every row's index entries are exactly the ones the existing indexes hold: they stay valid, no reindex.
-- - ANALYZE's statistics that `@>` uses (the most common elements and the histogram of distinct-element counts)
--   count a given element once per array (array_typanalyze.c, compute_array_stats), so they do not change either.
-- Still STRICT and of the default cost (100 cpu_operator_cost), as 0002's function was. The same body as an SQL
-- function without STRICT would be inlined (~0.4 µs less per row), but the planner would then cost the expression
-- as four builtins (4 cpu_operator_cost for 2-4 µs of work) and prefer evaluating it on every row of a sequential
-- scan over using the gram index: plans the search API relies on (0003, 0004) would change.

create or replace function nova_cjk_grams(t text) returns text[]
  language plpgsql immutable strict parallel safe
as $$
begin
  return array_remove(string_to_array(regexp_replace(regexp_replace(t,
    '[^\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]+', ' ', 'g'),
    '(.)', '\1 \1 \1', 'g'), ' '), '');
end
$$;
