-- 013 The full-text branch also says WHICH of the question's terms each passage holds (ADR 013):
-- answerability weighs how much of the question's IDF-weighted content the passage covers, and
-- whether the question's rare topic words are in it, not only its BM25 total. Same scoring and
-- tenant rule as migration 011's pack_chunk_bm25_hits, plus the matched lexemes.
drop function if exists pack_chunk_bm25_hits(uuid, tsquery, text[], float8[], float8, float8, uuid[], uuid[], integer);
create or replace function pack_chunk_bm25_matches(tenant uuid, query tsquery, terms text[], term_idf float8[], avgdl float8,
  title_boost float8, documents uuid[], excluded uuid[], candidates integer)
returns table (id uuid, score float8, matched integer, titled integer, lexemes text[])
language sql stable security definer set search_path = public set jit = off as $$
  select c.id, sum(m.idf * m.tf * 2.2 / (m.tf + 1.2 * (0.25 + 0.75 * length(c.tsv) / greatest(avgdl, 1))))::float8,
    count(*)::integer, count(*) filter (where m.titled)::integer, array_agg(m.lexeme order by m.lexeme)
  from pack_chunk c
  cross join lateral (
    select q.lexeme, q.idf, (select sum(case when w = 'A' then title_boost else 1 end) from unnest(u.weights) w)::float8 as tf,
      'A' = any(u.weights) as titled
    from unnest(c.tsv) u join unnest(terms, term_idf) q(lexeme, idf) on q.lexeme = u.lexeme
  ) m
  where c.tenant_id = tenant and tenant = app_tenant_id()
    and c.document_id = any(documents) and not c.id = any(excluded) and c.tsv @@ query
  group by c.id
  order by 2 desc, c.id
  limit candidates
$$;
revoke all on function pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, float8, uuid[], uuid[], integer) from public;
grant execute on function pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, float8, uuid[], uuid[], integer) to rapport_app;
