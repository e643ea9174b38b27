-- The grams a Chinese/Japanese/Korean search term requires of a text, for the `@>` test on the gram indexes:
-- the character pairs of each CJK run (a lone CJK character: itself). Every pair and character of the term is in
-- nova_cjk_grams() of any text containing the term, so this is still a necessary condition (the search API confirms
-- the exact substring). It leaves out the single characters of longer runs, which every pair already implies: the
-- planner multiplies the frequencies of the elements as if they were independent, and with `{搜,搜索,索}` it
-- estimated 2 rows for a term found in 4,000 messages and led with the gram index instead of the conversations.

create function nova_cjk_query_grams(t text) returns text[]
  language sql immutable strict parallel safe
as $$
  select coalesce(array_agg(distinct g), '{}')
  from (
    select case when char_length(m.run) = 1 then m.run else substr(m.run, i, 2) end as g
    from regexp_matches(t, '[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]+', 'g') as r(parts)
    cross join lateral (select r.parts[1] as run) as m
    cross join lateral generate_series(1, greatest(char_length(m.run) - 1, 1)) as i
  ) grams
$$;
