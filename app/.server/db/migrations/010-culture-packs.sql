-- 010 culture packs: versions (one editable draft + immutable published versions), the tenant's
-- pointer to its published version, uploaded documents and their retrieval chunks.
-- Why a membership table: an indexed document (its chunks and vectors) never changes, so versions
-- share documents instead of copying them. Publishing or rolling back only writes membership rows
-- (HNSW inserts are the expensive part of ingestion, and are done once per upload). A version's
-- excluded chunks are a list on the version, so excluding a passage in the draft cannot touch a
-- published version. Rollback publishes a NEW version with an earlier one's content (history stays
-- linear; see app/.server/culture/versions.ts). Vectors are stored untyped beside their
-- embedding_model, and each model gets its own partial HNSW expression index, so models of
-- different sizes coexist.

create table pack_version (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  status text not null check (status in ('draft', 'published')),
  -- Assigned when published: 1, 2, 3 … per tenant. Null for the draft.
  number integer,
  tone jsonb not null,
  norms jsonb not null default '[]'::jsonb,
  resources jsonb not null,
  -- Chunks an HR admin excluded from this version: never retrieved.
  excluded_chunk_ids uuid[] not null default '{}',
  -- For a rollback: the version number whose content this one restores.
  restored_from integer,
  note text not null default '',
  created_at timestamptz not null default now(),
  published_at timestamptz,
  published_by text,
  primary key (tenant_id, id),
  check ((status = 'published') = (number is not null))
);
create unique index pack_version_number on pack_version (tenant_id, number) where number is not null;
create unique index pack_version_one_draft on pack_version (tenant_id) where status = 'draft';

-- Published versions are immutable: only the draft may change.
create or replace function pack_version_immutable() returns trigger
language plpgsql as $$
begin
  if old.status = 'published' then
    raise exception 'culture pack version % is published and cannot change', old.number;
  end if;
  return new;
end $$;
create trigger pack_version_immutable before update on pack_version
  for each row execute function pack_version_immutable();

create table culture_pack (
  tenant_id uuid not null references tenants(id) on delete cascade,
  published_version_id uuid,
  updated_at timestamptz not null default now(),
  primary key (tenant_id),
  foreign key (tenant_id, published_version_id) references pack_version (tenant_id, id)
);

create table pack_document (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  -- The uploaded file name; documents are matched by name across versions (diff, replace).
  name text not null,
  title text not null default '',
  format text,
  -- sha256 of the uploaded bytes: the same file uploaded twice into the draft is refused.
  content_hash text not null,
  size_bytes integer not null check (size_bytes >= 0),
  status text not null check (status in ('uploaded', 'parsing', 'splitting', 'embedding', 'indexing', 'ready', 'failed')),
  progress smallint not null default 0 check (progress between 0 and 100),
  error_code text,
  error text,
  chunk_count integer not null default 0,
  page_count integer,
  uploaded_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id) references tenants (id) on delete cascade
);
create index pack_document_hash on pack_document (tenant_id, content_hash);

-- Which documents make up each version (the draft's set changes; a published set never does).
create table pack_version_document (
  tenant_id uuid not null,
  version_id uuid not null,
  document_id uuid not null,
  primary key (tenant_id, version_id, document_id),
  foreign key (tenant_id, version_id) references pack_version (tenant_id, id) on delete cascade,
  foreign key (tenant_id, document_id) references pack_document (tenant_id, id) on delete cascade
);
create index pack_version_document_document on pack_version_document (tenant_id, document_id);

-- A published version's document set is fixed. Cascades (deleting a tenant) run at a deeper
-- trigger depth and are let through.
create or replace function pack_version_document_immutable() returns trigger
language plpgsql as $$
begin
  if pg_trigger_depth() = 1 and exists (select 1 from pack_version v where v.tenant_id = old.tenant_id and v.id = old.version_id and v.status = 'published') then
    raise exception 'the documents of a published culture pack version cannot change';
  end if;
  return old;
end $$;
create trigger pack_version_document_immutable before delete or update on pack_version_document
  for each row execute function pack_version_document_immutable();

-- Chunks are LIST-partitioned by tenant, one partition per tenant (created with the tenant, see
-- below): the tenant filter prunes every query to one partition, so each partition's HNSW graph
-- and GIN index hold only that tenant's chunks. A filtered search in a shared graph either
-- wanders through other tenants' vectors or falls back to an exact scan (pgvector recommends
-- partitioning for filtered search); a small per-tenant graph is also cheap to insert into.
create table pack_chunk (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  document_id uuid not null,
  ordinal integer not null,
  document_title text not null,
  heading_path text[] not null default '{}',
  text text not null,
  token_count integer not null,
  content_hash text not null,
  -- [{kind, rule, excerpt}] from lintChunk; flagged = any instruction-like finding.
  lint jsonb not null default '[]'::jsonb,
  flagged boolean not null default false,
  -- Title and headings weigh more than body text.
  tsv tsvector not null,
  embedding vector,
  embedding_model text,
  primary key (tenant_id, id),
  foreign key (tenant_id, document_id) references pack_document (tenant_id, id) on delete cascade
) partition by list (tenant_id);
-- Keep the vector uncompressed in its heap row (partitions inherit this; toast_tuple_target is
-- set per partition): distance and rank computations then read no out-of-line data.
alter table pack_chunk alter column embedding set storage plain;
create index pack_chunk_document on pack_chunk (tenant_id, document_id, ordinal);
create index pack_chunk_tsv on pack_chunk using gin (tsv);
-- One HNSW index per embedding model (each partition gets its own); queries repeat the cast and
-- the predicate to use it. Other models get theirs at first use (app/.server/culture/embed.ts,
-- with the same options). m and ef_construction above pgvector's defaults (16, 64): the offline
-- embedder's feature-hashed vectors have little distance contrast, and a sparser graph needs a
-- much larger ef_search for recall@10 ≥ 0.95 (bench retrieval).
create index pack_chunk_embedding_offline_embedder on pack_chunk
  using hnsw ((embedding::vector(384)) vector_cosine_ops) with (m = 32, ef_construction = 128)
  where embedding_model = 'offline-embedder';

-- The partition of a tenant's chunks, created in the transaction that creates the tenant (so no
-- insert ever finds none). Security definer: partitions belong to the schema owner whatever role
-- inserts the tenant. A partition is reachable directly too, so it gets the same RLS policy.
-- A deleted tenant's chunks go by cascade; its empty partition stays (harmless).
create or replace function ensure_pack_chunk_partition(tenant uuid) returns void
language plpgsql security definer set search_path = public as $$
declare
  partition text := 'pack_chunk_' || replace(tenant::text, '-', '');
begin
  if to_regclass(partition) is null then
    execute format('create table %I partition of pack_chunk for values in (%L) with (toast_tuple_target = 8160)', partition, tenant);
    execute format('alter table %I enable row level security', partition);
    execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id())', partition);
  end if;
end $$;
create or replace function tenant_pack_chunk_partition() returns trigger
language plpgsql security definer set search_path = public as $$
begin
  perform ensure_pack_chunk_partition(new.id);
  return null;
end $$;
revoke all on function ensure_pack_chunk_partition(uuid) from public;
revoke all on function tenant_pack_chunk_partition() from public;
create trigger tenant_pack_chunk_partition after insert on tenants
  for each row execute function tenant_pack_chunk_partition();
select ensure_pack_chunk_partition(id) from tenants;

-- How many of the tenant's chunks contain each lexeme (document frequency), kept by statement
-- triggers on pack_chunk. Retrieval ranks full-text matches of the question's RAREST terms only,
-- up to a budget of matching chunks (app/.server/culture/retrieve.ts): a term found in most
-- chunks barely discriminates, yet matching it would make ts_rank read and score nearly every
-- chunk of the tenant. Counts cover all of the tenant's chunks (any version): an upper bound.
-- Chunks are only inserted and deleted (an indexed document never changes), never updated.
create table pack_term (
  tenant_id uuid not null,
  lexeme text not null,
  chunks integer not null,
  primary key (tenant_id, lexeme),
  foreign key (tenant_id) references tenants (id) on delete cascade
);

-- Upserts in lexeme order (deletes add negative counts), so concurrent ingestions lock rows in the
-- same order and cannot deadlock.
create or replace function pack_term_count() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into pack_term (tenant_id, lexeme, chunks)
    select c.tenant_id, l.lexeme, count(*) from new_chunks c, unnest(tsvector_to_array(c.tsv)) l(lexeme)
    group by 1, 2 order by 1, 2
    on conflict (tenant_id, lexeme) do update set chunks = pack_term.chunks + excluded.chunks;
  else
    insert into pack_term (tenant_id, lexeme, chunks)
    select c.tenant_id, l.lexeme, -count(*) from old_chunks c, unnest(tsvector_to_array(c.tsv)) l(lexeme)
    group by 1, 2 order by 1, 2
    on conflict (tenant_id, lexeme) do update set chunks = pack_term.chunks + excluded.chunks;
  end if;
  return null;
end $$;
create trigger pack_chunk_terms_inserted after insert on pack_chunk
  referencing new table as new_chunks for each statement execute function pack_term_count();
create trigger pack_chunk_terms_deleted after delete on pack_chunk
  referencing old table as old_chunks for each statement execute function pack_term_count();

-- The full-text branch of retrieval (app/.server/culture/retrieve.ts). `@@` is not leakproof, so
-- under row-level security Postgres may not use it as an index condition: it would read and test
-- every chunk of the tenant instead of asking the GIN index. This function runs as the owner and
-- applies the policy's tenant filter itself (app_tenant_id(), pinned by withTenant; a tenant
-- argument that differs returns nothing), so it is as tenant-scoped as the policy. The tenant is
-- an argument so the plan is pruned to one partition.
create or replace function pack_chunk_text_hits(tenant uuid, query tsquery, documents uuid[], excluded uuid[], candidates integer)
returns table (id uuid, score real)
language sql stable security definer set search_path = public as $$
  select c.id, ts_rank(c.tsv, query, 1)
  from pack_chunk c
  where c.tenant_id = tenant and tenant = app_tenant_id()
    and c.document_id = any(documents) and not c.id = any(excluded) and c.tsv @@ query
  order by 2 desc
  limit candidates
$$;
revoke all on function pack_chunk_text_hits(uuid, tsquery, uuid[], uuid[], integer) from public;
grant execute on function pack_chunk_text_hits(uuid, tsquery, uuid[], uuid[], integer) to rapport_app;

alter table pack_version enable row level security;
alter table culture_pack enable row level security;
alter table pack_document enable row level security;
alter table pack_version_document enable row level security;
alter table pack_chunk enable row level security;
alter table pack_term enable row level security;
create policy tenant_isolation on pack_version using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on culture_pack using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on pack_version_document using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on pack_document using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on pack_chunk using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on pack_term using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
