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
);
-- Keep each chunk (text, tsvector and vector: a few KB) in its heap row instead of TOAST, and the
-- vector uncompressed: distance and rank computations then read no out-of-line data.
alter table pack_chunk alter column embedding set storage plain;
alter table pack_chunk set (toast_tuple_target = 8160);
create index pack_chunk_document on pack_chunk (tenant_id, document_id, ordinal);
create index pack_chunk_tsv on pack_chunk using gin (tsv);
-- One HNSW index per embedding model; queries repeat the cast and the predicate to use it.
-- Other models get theirs at first use (see app/.server/culture/embed.ts).
create index pack_chunk_embedding_offline_embedder on pack_chunk
  using hnsw ((embedding::vector(384)) vector_cosine_ops) where embedding_model = 'offline-embedder';

alter table pack_version enable row level security;
alter table culture_pack enable row level security;
alter table pack_document enable row level security;
alter table pack_version_document enable row level security;
alter table pack_chunk enable row level security;
create policy tenant_isolation on pack_version using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on culture_pack using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on pack_version_document using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on pack_document using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on pack_chunk using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
