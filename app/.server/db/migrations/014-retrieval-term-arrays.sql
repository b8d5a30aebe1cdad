-- 014 Term frequencies stored at ingest, so retrieval never re-reads a chunk's tsvector (ADR 012).
-- BM25 needs, for each candidate chunk, the frequency of each of the question's terms and the
-- chunk's length. Migration 011/013 got them by unnesting the whole tsvector of every candidate
-- (a few hundred lexemes with positions, detoasted) at query time. Now each chunk carries its
-- sorted lexemes, their title-weighted frequency (a title/heading occurrence, tsvector weight A,
-- counts 3 — retrieve.ts TITLE_BOOST), the lexemes that occur in its title or headings and its
-- length, computed once when the chunk is written. The per-tenant document frequencies were
-- already kept at write time (pack_term, pack_corpus).
alter table pack_chunk
  add column term_lexemes text[] not null default '{}',
  add column term_tf real[] not null default '{}',
  add column title_lexemes text[] not null default '{}',
  add column term_count integer not null default 0;

create or replace function pack_chunk_terms() returns trigger
language plpgsql as $$
begin
  select coalesce(array_agg(u.lexeme order by u.lexeme), '{}'),
    coalesce(array_agg((select sum(case when w = 'A' then 3 else 1 end) from unnest(u.weights) w)::real order by u.lexeme), '{}'),
    coalesce(array_agg(u.lexeme order by u.lexeme) filter (where 'A' = any(u.weights)), '{}'),
    count(*)::integer
  into new.term_lexemes, new.term_tf, new.title_lexemes, new.term_count
  from unnest(new.tsv) u;
  return new;
end $$;
create trigger pack_chunk_terms before insert or update of tsv on pack_chunk
  for each row execute function pack_chunk_terms();

-- Chunks written before this migration.
update pack_chunk set tsv = tsv;

-- The full-text branch reads the stored arrays: array_position finds a question term among a
-- chunk's lexemes without unnesting them. Same BM25 (k1 1.2, b 0.75) and tenant rule as 013.
drop function if exists pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, float8, uuid[], uuid[], integer);
create or replace function pack_chunk_bm25_matches(tenant uuid, query tsquery, terms text[], term_idf float8[], avgdl float8,
  documents uuid[], excluded uuid[], candidates integer)
returns table (id uuid, score float8, matched integer, titled integer, lexemes text[])
language sql stable security definer set search_path = public set jit = off as $$
  select c.id, sum(q.idf * c.term_tf[q.at] * 2.2 / (c.term_tf[q.at] + 1.2 * (0.25 + 0.75 * c.term_count / greatest(avgdl, 1))))::float8,
    count(*)::integer, count(*) filter (where q.lexeme = any(c.title_lexemes))::integer, array_agg(q.lexeme order by q.lexeme)
  from pack_chunk c
  cross join lateral (
    select t.lexeme, t.idf, array_position(c.term_lexemes, t.lexeme) as at from unnest(terms, term_idf) t(lexeme, idf)
  ) q
  where c.tenant_id = tenant and tenant = app_tenant_id()
    and c.document_id = any(documents) and not c.id = any(excluded) and c.tsv @@ query
    and q.at is not null
  group by c.id
  order by 2 desc, c.id
  limit candidates
$$;
revoke all on function pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, uuid[], uuid[], integer) from public;
grant execute on function pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, uuid[], uuid[], integer) to rapport_app;
