-- 020 conversations: a manager's private conversations with the coach, their messages,
-- each answer's lineage and the manager's rating of it.
-- Why separate tables: message text can be deleted by retention (or never stored, in zero-
-- retention mode) while lineage and usage, which hold ids and numbers only, are kept.

create table conversation (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  user_id text not null references app_user(id) on delete cascade,
  title text not null default 'New conversation',
  -- Highest safety level seen; 'crisis' keeps the resources panel open in this conversation.
  safety_level text not null default 'none' check (safety_level in ('none', 'concern', 'crisis')),
  country text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index conversation_owner on conversation (tenant_id, user_id, updated_at desc);

create table message (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  conversation_id uuid not null,
  user_id text not null,
  role text not null check (role in ('user', 'assistant')),
  -- Null when the tenant keeps no text (zero retention) or retention has deleted it.
  content text,
  status text not null default 'complete' check (status in ('complete', 'streaming', 'interrupted', 'error', 'blocked', 'escalated')),
  model_id text,
  created_at timestamptz not null default now(),
  content_deleted_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, conversation_id) references conversation (tenant_id, id) on delete cascade
);
create index message_conversation on message (tenant_id, conversation_id, created_at);
create index message_retention on message (tenant_id, created_at) where content is not null;

create table message_lineage (
  tenant_id uuid not null,
  message_id uuid not null,
  conversation_id uuid not null,
  pack_version_id uuid,
  pack_version integer,
  -- [{chunkId, score, document, heading}] — ids and scores, no passage text.
  chunks jsonb not null default '[]'::jsonb,
  -- {persona: hash, safety-rules: hash, ...}
  prompt_versions jsonb not null default '{}'::jsonb,
  model_id text not null,
  provider text not null,
  params jsonb not null default '{}'::jsonb,
  fallbacks jsonb not null default '[]'::jsonb,
  latency_ms integer,
  ttft_ms integer,
  -- {input: {level, categories, ruleIds}, output: {ok, ruleIds}}
  safety jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  primary key (tenant_id, message_id)
);

create table message_feedback (
  tenant_id uuid not null,
  message_id uuid not null,
  user_id text not null,
  rating smallint not null check (rating in (-1, 1)),
  comment text check (char_length(comment) <= 1000),
  created_at timestamptz not null default now(),
  primary key (tenant_id, message_id, user_id)
);

alter table conversation enable row level security;
alter table message enable row level security;
alter table message_lineage enable row level security;
alter table message_feedback enable row level security;
create policy tenant_isolation on conversation using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on message using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on message_lineage using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on message_feedback using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
