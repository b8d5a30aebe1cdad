-- Upload progress reports real stages: while a document is embedding, how many of its passages
-- are done (the page shows "Embedding 3/12"), written by the ingestion itself after each batch.
alter table pack_document add column chunks_embedded integer not null default 0 check (chunks_embedded >= 0);
