-- Full-text search indexes for the search API's PostgreSQL fallback.
-- Expression indexes only: the source tables keep their shape (the CDC pipeline replicates every column).
--
-- Space-separated languages: a tsvector with the `simple` configuration (lowercase, no stemming: the same
-- behaviour as Elasticsearch's `standard` analyzer), weighted title A / content B for posts.
-- Chinese, Japanese and Korean: PostgreSQL's parser keeps a whole run of Han/kana/Hangul as one token, so a
-- substring can never match. nova_cjk_grams() lists every character and every two-character sequence of those runs;
-- a GIN index over that array finds candidates (`@>` the query's grams), and the API confirms the exact substring.

create function nova_cjk_grams(t text) returns text[]
  language sql immutable strict parallel safe
as $$
  select coalesce(array_agg(distinct g), '{}')
  from (
    select substr(m.run, i, n) as g
    from regexp_matches(t, '[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]+', 'g') as r(parts)
    cross join lateral (select r.parts[1] as run) as m
    cross join lateral generate_series(1, char_length(m.run)) as i
    cross join (values (1), (2)) as sizes(n)
    where i + n - 1 <= char_length(m.run)
  ) grams
$$;

-- Milliseconds since the epoch: the sort key shared with Elasticsearch (whose dates have millisecond precision).
create function nova_epoch_ms(ts timestamptz) returns bigint
  language sql immutable strict parallel safe
as $$ select floor(extract(epoch from ts) * 1000)::bigint $$;

create index messages_search_tsv_idx on messages using gin (to_tsvector('simple'::regconfig, content)) where deleted_at is null;
create index messages_search_grams_idx on messages using gin (nova_cjk_grams(content)) where deleted_at is null;
create index messages_search_recent_idx on messages (conversation_id, nova_epoch_ms(created_at) desc, id desc) where deleted_at is null;

create index posts_search_tsv_idx on posts using gin (
  (setweight(to_tsvector('simple'::regconfig, title), 'A') || setweight(to_tsvector('simple'::regconfig, content), 'B'))
) where deleted_at is null;
create index posts_search_grams_idx on posts using gin (nova_cjk_grams(title || ' ' || content)) where deleted_at is null;
create index posts_search_recent_idx on posts (nova_epoch_ms(created_at) desc, id desc) where deleted_at is null;
