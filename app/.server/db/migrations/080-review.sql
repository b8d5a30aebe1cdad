-- 080 the quality loop: exchanges a manager chose to share for review (stored only anonymized),
-- reviewers' annotations with the judge rubric, the judge model's scores, and the tenant's evaluation
-- set built from reviewed items or imported scenarios. Why separate from message: a shared copy is a
-- consented, anonymized snapshot with its own life (withdrawn by the manager = deleted), readable by
-- reviewers, while conversations stay private to the manager.

-- A new role: reviewer (assigned by a tenant admin; no other role includes it).
alter table app_user drop constraint if exists app_user_role_check;
alter table app_user add constraint app_user_role_check check (role in ('manager', 'hr_admin', 'tenant_admin', 'reviewer'));
alter table invite drop constraint if exists invite_role_check;
alter table invite add constraint invite_role_check check (role in ('manager', 'hr_admin', 'tenant_admin', 'reviewer'));

create table review_item (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- Who shared it: only ever read to show managers their own shares and let them withdraw. Review and
  -- admin loaders never select it.
  shared_by text not null references app_user(id) on delete cascade,
  -- The answer that was shared; deleting the conversation deletes the share too.
  source_message_id uuid not null,
  -- Anonymized text only: placeholders such as [PERSON_1] replace personal details.
  user_text text not null,
  reply_text text not null,
  -- [{label, document, heading, version, text}] — passage text anonymized too.
  passages jsonb not null default '[]'::jsonb,
  -- {packVersion, promptVersions, modelId, provider, safetyLevel} — ids and versions, no text.
  lineage jsonb not null default '{}'::jsonb,
  -- Entities replaced per type (counts only).
  entity_counts jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, source_message_id),
  foreign key (tenant_id, source_message_id) references message (tenant_id, id) on delete cascade
);
create index review_item_created on review_item (tenant_id, created_at desc);
create index review_item_shared_by on review_item (tenant_id, shared_by);

create table review_annotation (
  tenant_id uuid not null,
  item_id uuid not null,
  reviewer_id text not null references app_user(id) on delete cascade,
  -- {check_in_first, grounding, coaching, tone, safety}: 0..2 each, as in prompts/judge-rubric.md.
  scores jsonb not null,
  -- Subset of invented_policy, missed_distress, wrong_document, tone_slip.
  labels text[] not null default '{}',
  better_reply text check (char_length(better_reply) <= 4000),
  note text check (char_length(note) <= 1000),
  -- What an evaluation case made from this item expects (the reviewer's call, prefilled from the item).
  expect_check_in boolean not null default false,
  expect_document text,
  must_not_contain text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, item_id, reviewer_id),
  foreign key (tenant_id, item_id) references review_item (tenant_id, id) on delete cascade
);

-- The judge model's scores of a shared item (a sampled share of them) — metered like any call.
create table review_judgement (
  tenant_id uuid not null,
  item_id uuid not null,
  model_id text not null,
  scores jsonb not null,
  overall integer not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, item_id),
  foreign key (tenant_id, item_id) references review_item (tenant_id, id) on delete cascade
);

-- The tenant's evaluation set: cases from reviewed items (one click) or imported scenarios.
create table eval_case (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- Stable, human-readable id: the scenario id when imported, "review-<n>" when made from an item.
  case_key text not null check (char_length(case_key) between 1 and 100),
  message text not null check (char_length(message) between 1 and 4000),
  expect_check_in boolean not null,
  expect_document text,
  must_not_contain text[] not null default '{}',
  reference_reply text,
  source text not null check (source in ('review', 'import')),
  -- Withdrawing the shared exchange removes the case made from it.
  source_item_id uuid,
  created_by text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, case_key),
  foreign key (tenant_id, source_item_id) references review_item (tenant_id, id) on delete cascade
);

alter table review_item enable row level security;
alter table review_annotation enable row level security;
alter table review_judgement enable row level security;
alter table eval_case enable row level security;
create policy tenant_isolation on review_item using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on review_annotation using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on review_judgement using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on eval_case using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
