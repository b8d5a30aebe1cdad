-- 029 The full-text branch scores its candidates by binary search, and the tenant-wide term counts are gone (ADR 033).
--
-- 1. pack_term / pack_corpus (migrations 010–011) counted every chunk of the tenant; since migration 017
--    retrieval reads the searched version's own per-document counts (ADR 037) and nothing reads them. Their
--    statement triggers still upserted a row per distinct lexeme of every inserted or deleted batch of chunks;
--    they are dropped with their tables.
-- 2. BM25 needs, for each GIN candidate (up to ≈ 250) and each of the question's terms, the term's frequency
--    in the candidate. Migration 016 found it with array_position over the chunk's stored lexemes: a linear
--    scan calling text equality per element (≈ 1.3 µs a lookup on a real PostgreSQL 15 — 2,000 lookups a
--    question), and grouped the (candidate, term) rows with an ordered array_agg (a sort per candidate).
--    bench retrieval at 100k chunks: 9–14 ms of the statement. The stored lexemes are sorted, so a binary
--    search finds a term: width_bucket(term, lexemes) is the number of lexemes ≤ term, and the term is there
--    when the lexeme at that position equals it. The function now writes one expression per question term
--    into its dynamic statement (literals quoted with format's %L), so a candidate is scored in one pass over
--    its row with no per-term rows, and the matched lexemes and title terms are computed for the returned
--    candidates only. Same BM25 (k1 1.2, b 0.75, the same arithmetic), result and tenant rule as 014–016.
-- 3. Binary search needs the order it searches in: lexemes are now stored in "C" (byte) order, which needs
--    no locale and is the order of a tsvector's own lexemes. A database whose default collation orders
--    them otherwise gets its chunks' arrays rewritten here (none on PGlite, "C", or on C.UTF-8).

drop trigger if exists pack_chunk_terms_inserted on pack_chunk;
drop trigger if exists pack_chunk_terms_deleted on pack_chunk;
drop function if exists pack_term_count();
drop table if exists pack_term;
drop table if exists pack_corpus;

create or replace function pack_chunk_terms() returns trigger
language plpgsql as $$
begin
  select coalesce(array_agg(u.lexeme order by u.lexeme collate "C"), '{}'),
    coalesce(array_agg((select sum(case when w = 'A' then 3 else 1 end) from unnest(u.weights) w)::real order by u.lexeme collate "C"), '{}'),
    coalesce(array_agg(u.lexeme order by u.lexeme collate "C") filter (where 'A' = any(u.weights)), '{}'),
    count(*)::integer
  into new.term_lexemes, new.term_tf, new.title_lexemes, new.term_count
  from unnest(new.tsv) u;
  return new;
end $$;

-- Chunks whose stored order is not byte order (a database with a linguistic default collation).
update pack_chunk set tsv = tsv
where term_lexemes is distinct from array(select l from unnest(term_lexemes) l order by l collate "C");

drop function if exists pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, uuid[], uuid[], integer);
create or replace function pack_chunk_bm25_matches(tenant uuid, query tsquery, terms text[], term_idf float8[], avgdl float8,
  documents uuid[], excluded uuid[], candidates integer)
returns table (id uuid, score float8, matched integer, titled integer, lexemes text[])
language plpgsql stable security definer set search_path = public set jit = off set enable_sort = on as $$
declare
  partition text := 'pack_chunk_' || replace(tenant::text, '-', '');
  term record;
  searched text := '';
  found text := '';
  score text := '';
  matched text := '';
  titled text := '';
  lexeme_list text := '';
begin
  if tenant is distinct from app_tenant_id() or query is null or to_regclass(partition) is null or coalesce(cardinality(terms), 0) = 0 then
    return;
  end if;
  -- One set of expressions per question term, in lexeme order (the database's collation: the order in which
  -- migration 016 returned the matched lexemes). $6 is term_idf, indexed by the term's place in `terms`.
  for term in select t.lexeme, t.i from unnest(terms) with ordinality t(lexeme, i) order by t.lexeme loop
    -- a<i>: how many of the chunk's lexemes sort at or before the term; p<i>: the term's position, or null.
    searched := searched || format(', width_bucket(%L collate "C", m.term_lexemes collate "C") as a%s', term.lexeme, term.i);
    found := found || format(', case when a.term_lexemes[a.a%1$s] = %2$L then a.a%1$s end as p%1$s', term.i, term.lexeme);
    score := score || format(' + coalesce($6[%1$s] * p.term_tf[p.p%1$s] * 2.2 / (p.term_tf[p.p%1$s] + p.k), 0)', term.i);
    matched := matched || format(' + (p.p%s is not null)::integer', term.i);
    titled := titled || format(' + (t.p%s is not null and %L = any(t.title_lexemes))::integer', term.i, term.lexeme);
    lexeme_list := lexeme_list || format(', case when t.p%s is not null then %L end', term.i, term.lexeme);
  end loop;
  return query execute format(
    'select t.id, t.score, t.matched, (0%1$s)::integer, array_remove(array[%2$s]::text[], null)
     from (
       select * from (
         select p.*, (0::float8%3$s)::float8 as score, (0%4$s)::integer as matched
         from (
           select a.id, a.term_tf, a.title_lexemes, a.k%5$s
           from (
             select m.id, m.term_lexemes, m.term_tf, m.title_lexemes, 1.2 * (0.25 + 0.75 * m.term_count / greatest($2, 1)) as k%6$s
             from %7$I m
             where m.tsv @@ $1 and m.document_id = any($3) and not m.id = any($4)
             offset 0
           ) a
           offset 0
         ) p
         offset 0
       ) scored
       where scored.matched > 0
       order by scored.score desc, scored.id
       limit $5
     ) t
     order by t.score desc, t.id',
    titled, substr(lexeme_list, 3), score, matched, found, searched, partition)
    using query, avgdl, documents, excluded, candidates, term_idf;
end $$;
revoke all on function pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, uuid[], uuid[], integer) from public;
grant execute on function pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, uuid[], uuid[], integer) to rapport_app;
