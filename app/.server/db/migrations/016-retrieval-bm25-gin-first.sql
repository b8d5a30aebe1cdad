-- 016 The full-text branch reads only the chunks the GIN index matches (ADR 012). With the tenant
-- as a condition, the planner could answer `tenant_id = …` from the partition's btree index
-- (tenant_id, document_id, ordinal) — every chunk of the tenant, the tsquery a mere filter (≈ 5,000
-- buffers a question at 5,000 chunks a tenant, bench retrieval) — and the hybrid statement's
-- enable_sort = off (for the HNSW branch, retrieve.ts) pushed it further toward ordered index scans.
-- Now the statement names the tenant's own partition (its only rows are the tenant's, so no tenant
-- condition is left to index), first collects the GIN matches once, then scores them; sorts are
-- allowed inside the function. Same scores, result and tenant rule as migrations 014–015.
drop function if exists pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, uuid[], uuid[], integer);
create or replace function pack_chunk_bm25_matches(tenant uuid, query tsquery, terms text[], term_idf float8[], avgdl float8,
  documents uuid[], excluded uuid[], candidates integer)
returns table (id uuid, score float8, matched integer, titled integer, lexemes text[])
language plpgsql stable security definer set search_path = public set jit = off set enable_sort = on as $$
declare
  partition text := 'pack_chunk_' || replace(tenant::text, '-', '');
begin
  if tenant is distinct from app_tenant_id() or query is null or to_regclass(partition) is null then
    return;
  end if;
  return query execute format(
    'with matches as materialized (
       select c.id, c.term_lexemes, c.term_tf, c.title_lexemes, c.term_count from %I c
       where c.tsv @@ $2 and c.document_id = any($6) and not c.id = any($7)
     )
     select m.id, sum(q.idf * m.term_tf[q.at] * 2.2 / (m.term_tf[q.at] + 1.2 * (0.25 + 0.75 * m.term_count / greatest($5, 1))))::float8,
       count(*)::integer, count(*) filter (where q.lexeme = any(m.title_lexemes))::integer, array_agg(q.lexeme order by q.lexeme)
     from matches m
     cross join lateral (
       select t.lexeme, t.idf, array_position(m.term_lexemes, t.lexeme) as at from unnest($3, $4) t(lexeme, idf)
     ) q
     where q.at is not null
     group by m.id
     order by 2 desc, m.id
     limit $8', partition)
    using tenant, query, terms, term_idf, avgdl, documents, excluded, candidates;
end $$;
revoke all on function pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, uuid[], uuid[], integer) from public;
grant execute on function pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, uuid[], uuid[], integer) to rapport_app;
