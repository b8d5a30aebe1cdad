-- 011 BM25 for the full-text branch of retrieval (ADR 012). Postgres ts_rank weighs every matched
-- word alike (no inverse document frequency), so "shift" in every chunk counted as much as
-- "bereavement" in one. BM25 needs, per tenant, how many chunks contain each lexeme (pack_term,
-- migration 010), how many chunks there are and their average length: pack_corpus, kept by the
-- same statement triggers in the same transaction. Counts cover all of the tenant's chunks (every
-- version and the draft share documents), so they are tenant-scoped, never cross-tenant.

create table pack_corpus (
  tenant_id uuid not null,
  -- Chunks of the tenant (any version).
  chunks integer not null default 0,
  -- Sum over those chunks of their distinct lexemes (length(tsv)): avgdl = lexemes / chunks.
  lexemes bigint not null default 0,
  primary key (tenant_id),
  foreign key (tenant_id) references tenants (id) on delete cascade
);
alter table pack_corpus enable row level security;
create policy tenant_isolation on pack_corpus using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

insert into pack_corpus (tenant_id, chunks, lexemes)
select tenant_id, count(*), coalesce(sum(length(tsv)), 0) from pack_chunk group by tenant_id;

create or replace function pack_term_count() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into pack_term (tenant_id, lexeme, chunks)
    select c.tenant_id, l.lexeme, count(*) from new_chunks c, unnest(tsvector_to_array(c.tsv)) l(lexeme)
    group by 1, 2 order by 1, 2
    on conflict (tenant_id, lexeme) do update set chunks = pack_term.chunks + excluded.chunks;
    insert into pack_corpus (tenant_id, chunks, lexemes)
    select c.tenant_id, count(*), sum(length(c.tsv)) from new_chunks c group by 1 order by 1
    on conflict (tenant_id) do update set chunks = pack_corpus.chunks + excluded.chunks, lexemes = pack_corpus.lexemes + excluded.lexemes;
  else
    insert into pack_term (tenant_id, lexeme, chunks)
    select c.tenant_id, l.lexeme, -count(*) from old_chunks c, unnest(tsvector_to_array(c.tsv)) l(lexeme)
    group by 1, 2 order by 1, 2
    on conflict (tenant_id, lexeme) do update set chunks = pack_term.chunks + excluded.chunks;
    insert into pack_corpus (tenant_id, chunks, lexemes)
    select c.tenant_id, -count(*), -sum(length(c.tsv)) from old_chunks c group by 1 order by 1
    on conflict (tenant_id) do update set chunks = pack_corpus.chunks + excluded.chunks, lexemes = pack_corpus.lexemes + excluded.lexemes;
  end if;
  return null;
end $$;

-- The full-text branch, now scored by BM25 (k1 1.2, b 0.75) over the question's terms with their
-- IDF and weight (a synonym counts less than the word itself), title and heading occurrences
-- (tsvector weight A) counting `title_boost` times. Candidates are the GIN matches of `query` (the
-- question's rarer terms, retrieve.ts); every question term found in a candidate adds to its
-- score. As in migration 010 it runs as the owner and applies the tenant policy itself, because
-- `@@` is not leakproof and RLS would otherwise keep it from using the GIN index.
drop function if exists pack_chunk_text_hits(uuid, tsquery, uuid[], uuid[], integer);
create or replace function pack_chunk_bm25_hits(tenant uuid, query tsquery, terms text[], term_idf float8[], avgdl float8,
  title_boost float8, documents uuid[], excluded uuid[], candidates integer)
returns table (id uuid, score float8, matched integer, titled integer)
language sql stable security definer set search_path = public set jit = off as $$
  select c.id, sum(m.idf * m.tf * 2.2 / (m.tf + 1.2 * (0.25 + 0.75 * length(c.tsv) / greatest(avgdl, 1))))::float8,
    count(*)::integer, count(*) filter (where m.titled)::integer
  from pack_chunk c
  cross join lateral (
    -- Term frequency only for the question's terms: a chunk holds a few hundred lexemes.
    select q.idf, (select sum(case when w = 'A' then title_boost else 1 end) from unnest(u.weights) w)::float8 as tf,
      'A' = any(u.weights) as titled
    from unnest(c.tsv) u join unnest(terms, term_idf) q(lexeme, idf) on q.lexeme = u.lexeme
  ) m
  where c.tenant_id = tenant and tenant = app_tenant_id()
    and c.document_id = any(documents) and not c.id = any(excluded) and c.tsv @@ query
  group by c.id
  order by 2 desc, c.id
  limit candidates
$$;
revoke all on function pack_chunk_bm25_hits(uuid, tsquery, text[], float8[], float8, float8, uuid[], uuid[], integer) from public;
grant execute on function pack_chunk_bm25_hits(uuid, tsquery, text[], float8[], float8, float8, uuid[], uuid[], integer) to rapport_app;
