-- 015 The full-text branch planned for the question at hand (ADR 012). As a SQL function its body
-- was planned with the arguments unknown: the planner could neither prune pack_chunk to the
-- tenant's partition at plan time nor tell that the question's rarest terms match a few chunks,
-- and on a real PostgreSQL server it read every chunk of the tenant (EXPLAIN (ANALYZE, BUFFERS)
-- of bench retrieval at 100k chunks: 5,100 buffers, 84 ms of a 103 ms statement). Executed as
-- dynamic SQL with the values bound, each call gets a plan for its own tenant and tsquery: a GIN
-- bitmap scan of that partition. Same scoring, result and tenant rule as migration 014.
drop function if exists pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, uuid[], uuid[], integer);
create or replace function pack_chunk_bm25_matches(tenant uuid, query tsquery, terms text[], term_idf float8[], avgdl float8,
  documents uuid[], excluded uuid[], candidates integer)
returns table (id uuid, score float8, matched integer, titled integer, lexemes text[])
language plpgsql stable security definer set search_path = public set jit = off as $$
begin
  if tenant is distinct from app_tenant_id() or query is null then
    return;
  end if;
  return query execute
    'select c.id, sum(q.idf * c.term_tf[q.at] * 2.2 / (c.term_tf[q.at] + 1.2 * (0.25 + 0.75 * c.term_count / greatest($5, 1))))::float8,
       count(*)::integer, count(*) filter (where q.lexeme = any(c.title_lexemes))::integer, array_agg(q.lexeme order by q.lexeme)
     from pack_chunk c
     cross join lateral (
       select t.lexeme, t.idf, array_position(c.term_lexemes, t.lexeme) as at from unnest($3, $4) t(lexeme, idf)
     ) q
     where c.tenant_id = $1 and c.document_id = any($6) and not c.id = any($7) and c.tsv @@ $2 and q.at is not null
     group by c.id
     order by 2 desc, c.id
     limit $8'
    using tenant, query, terms, term_idf, avgdl, documents, excluded, candidates;
end $$;
revoke all on function pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, uuid[], uuid[], integer) from public;
grant execute on function pack_chunk_bm25_matches(uuid, tsquery, text[], float8[], float8, uuid[], uuid[], integer) to rapport_app;
