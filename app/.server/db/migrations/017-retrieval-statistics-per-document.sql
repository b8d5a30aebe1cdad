-- BM25 statistics per document, so retrieval uses those of the version it searches (ADR 037).
-- pack_term / pack_corpus (migrations 010–011) count every chunk of the tenant: the draft's uploads
-- and the documents of superseded versions too. After an upload, publish and rollback the restored
-- version's content was the same but its IDFs were not (version 2's extra documents stay in its
-- history), and a not-covered question got a citation it had not had before. Counting per document
-- lets the one retrieval statement add up the counts of exactly the documents of the version it
-- searches (a dozen index lookups per question term), so the same content gives the same
-- statistics whatever the pack's history. Kept by statement triggers in the chunks' transaction,
-- like pack_term; rows of different documents never contend, so concurrent uploads do not either.

create table pack_document_term (
  tenant_id uuid not null,
  lexeme text not null,
  document_id uuid not null,
  -- Chunks of the document holding the lexeme.
  chunks integer not null,
  primary key (tenant_id, lexeme, document_id),
  foreign key (tenant_id) references tenants (id) on delete cascade
);

create table pack_document_corpus (
  tenant_id uuid not null,
  document_id uuid not null,
  -- The document's chunks and their distinct lexemes (length(tsv)): BM25's N and avgdl add up from these.
  chunks integer not null,
  lexemes bigint not null,
  primary key (tenant_id, document_id),
  foreign key (tenant_id) references tenants (id) on delete cascade
);

alter table pack_document_term enable row level security;
alter table pack_document_corpus enable row level security;
create policy tenant_isolation on pack_document_term using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on pack_document_corpus using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

insert into pack_document_term (tenant_id, lexeme, document_id, chunks)
select c.tenant_id, l.lexeme, c.document_id, count(*) from pack_chunk c, unnest(tsvector_to_array(c.tsv)) l(lexeme) group by 1, 2, 3;
insert into pack_document_corpus (tenant_id, document_id, chunks, lexemes)
select tenant_id, document_id, count(*), coalesce(sum(length(tsv)), 0) from pack_chunk group by 1, 2;

-- Upserts in key order (deletes add negative counts, then drop the rows left at zero), so
-- concurrent statements lock rows in the same order and cannot deadlock.
create or replace function pack_document_term_count() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into pack_document_term (tenant_id, lexeme, document_id, chunks)
    select c.tenant_id, l.lexeme, c.document_id, count(*) from new_chunks c, unnest(tsvector_to_array(c.tsv)) l(lexeme)
    group by 1, 2, 3 order by 1, 2, 3
    on conflict (tenant_id, lexeme, document_id) do update set chunks = pack_document_term.chunks + excluded.chunks;
    insert into pack_document_corpus (tenant_id, document_id, chunks, lexemes)
    select c.tenant_id, c.document_id, count(*), sum(length(c.tsv)) from new_chunks c group by 1, 2 order by 1, 2
    on conflict (tenant_id, document_id) do update
      set chunks = pack_document_corpus.chunks + excluded.chunks, lexemes = pack_document_corpus.lexemes + excluded.lexemes;
  else
    insert into pack_document_term (tenant_id, lexeme, document_id, chunks)
    select c.tenant_id, l.lexeme, c.document_id, -count(*) from old_chunks c, unnest(tsvector_to_array(c.tsv)) l(lexeme)
    group by 1, 2, 3 order by 1, 2, 3
    on conflict (tenant_id, lexeme, document_id) do update set chunks = pack_document_term.chunks + excluded.chunks;
    delete from pack_document_term t
      using (select distinct c.tenant_id, l.lexeme, c.document_id from old_chunks c, unnest(tsvector_to_array(c.tsv)) l(lexeme)) o
      where t.tenant_id = o.tenant_id and t.lexeme = o.lexeme and t.document_id = o.document_id and t.chunks <= 0;
    insert into pack_document_corpus (tenant_id, document_id, chunks, lexemes)
    select c.tenant_id, c.document_id, -count(*), -sum(length(c.tsv)) from old_chunks c group by 1, 2 order by 1, 2
    on conflict (tenant_id, document_id) do update
      set chunks = pack_document_corpus.chunks + excluded.chunks, lexemes = pack_document_corpus.lexemes + excluded.lexemes;
    delete from pack_document_corpus t using (select distinct tenant_id, document_id from old_chunks) o
      where t.tenant_id = o.tenant_id and t.document_id = o.document_id and t.chunks <= 0;
  end if;
  return null;
end $$;
create trigger pack_chunk_document_terms_inserted after insert on pack_chunk
  referencing new table as new_chunks for each statement execute function pack_document_term_count();
create trigger pack_chunk_document_terms_deleted after delete on pack_chunk
  referencing old table as old_chunks for each statement execute function pack_document_term_count();
