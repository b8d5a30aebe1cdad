-- Culture-pack ingestion runs as jobs in Postgres (ADR 038). An upload stores the file here, in the
-- same transaction as its document row; a worker off the request processes' event loops claims a
-- job with FOR UPDATE SKIP LOCKED under a lease that its heartbeat renews. A job whose lease has
-- run out (its worker was stopped or killed) is claimed again and resumes, instead of the document
-- reading as failed after 5 minutes. A finished job is deleted; the document row keeps the outcome.
create table ingest_job (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  document_id uuid not null,
  file_name text not null,
  declared_type text,
  -- The uploaded file, kept until the job finishes so a restarted worker can parse it again.
  bytes bytea not null,
  status text not null default 'queued' check (status in ('queued', 'running')),
  -- Claims so far, this one included: a file that kills its worker every time fails after a few.
  attempts integer not null default 0,
  claimed_by text,
  lease_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id) references tenants (id) on delete cascade,
  -- Removing a document (or its draft) while it is queued or running takes its job with it.
  foreign key (tenant_id, document_id) references pack_document (tenant_id, id) on delete cascade
);
create unique index ingest_job_document on ingest_job (tenant_id, document_id);
-- The claim reads claimable jobs oldest first across tenants.
create index ingest_job_claimable on ingest_job (created_at);

alter table ingest_job enable row level security;
create policy tenant_isolation on ingest_job using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

-- A resumed job stores only the passages still missing; the database refuses a second copy of one.
delete from pack_chunk a using pack_chunk b
  where a.tenant_id = b.tenant_id and a.document_id = b.document_id and a.ordinal = b.ordinal and a.id > b.id;
create unique index pack_chunk_document_ordinal on pack_chunk (tenant_id, document_id, ordinal);
drop index pack_chunk_document;
