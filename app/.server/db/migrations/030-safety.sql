-- 030 safety: append-only safety events (no message text) and consented hand-off cases.
-- Why: the employer may see that and how often people needed help, never what they said;
-- a hand-off carries only what the person chose to share.

create table safety_event (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  at timestamptz not null default now(),
  conversation_id uuid,
  message_id uuid,
  stage text not null check (stage in ('input', 'output', 'retrieval')),
  level text not null check (level in ('none', 'concern', 'crisis')),
  categories text[] not null default '{}',
  rule_ids text[] not null default '{}',
  action text not null,
  primary key (tenant_id, id)
);
create index safety_event_tenant_at on safety_event (tenant_id, at desc);

create table handoff_case (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  created_at timestamptz not null default now(),
  -- The person asked to be contacted; their identity is part of what they consented to share.
  user_id text not null references app_user(id) on delete cascade,
  -- Only what the person chose to share, typed by them into the consent form.
  shared_text text not null check (char_length(shared_text) <= 2000),
  contact_preference text not null default '' check (char_length(contact_preference) <= 200),
  status text not null default 'open' check (status in ('open', 'in_progress', 'closed')),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index handoff_case_open on handoff_case (tenant_id, status, created_at desc);

alter table safety_event enable row level security;
alter table handoff_case enable row level security;
create policy tenant_isolation on safety_event using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on handoff_case using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
revoke update, delete on safety_event from rapport_app;
