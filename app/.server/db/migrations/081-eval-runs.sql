-- 081 model comparison: every evaluation run of a tenant's evaluation set is stored with the versions it
-- ran on (prompt files, culture pack, model), so a trend of pass rate by version shows when a change to
-- the persona or the pack made answers worse. A comparison is one or more runs started together (one per
-- model). Only ids, numbers and check results are stored here: no message or reply text.

create table eval_run (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- Runs started together (one per model) share a comparison id.
  comparison_id uuid not null,
  model_id text not null,
  -- 'cli' (rapport eval) or 'web' (the Compare models page); who started it is in the audit log.
  source text not null check (source in ('cli', 'web')),
  status text not null check (status in ('queued', 'running', 'done', 'failed')),
  cases integer not null default 0,
  passed integer not null default 0,
  -- Mean judge score (0..10 per case) and per criterion; null when no judge model is configured.
  judge_mean numeric,
  judge_criteria jsonb,
  -- Chat calls of the run, from the metered usage events (integer micro-dollars).
  cost_micros bigint not null default 0,
  judge_cost_micros bigint not null default 0,
  ttft_p50_ms integer,
  ttft_p95_ms integer,
  -- Lineage: {persona: "v3 ab12…", …} and the published pack version the run retrieved from.
  prompt_versions jsonb not null default '{}'::jsonb,
  pack_version integer,
  error text,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  primary key (tenant_id, id)
);
create index eval_run_started on eval_run (tenant_id, started_at desc);
create index eval_run_comparison on eval_run (tenant_id, comparison_id);

-- One row per case of a run: the check results, no text.
create table eval_run_case (
  tenant_id uuid not null,
  run_id uuid not null,
  case_key text not null,
  pass boolean not null,
  failures text[] not null default '{}',
  safety_level text not null,
  answered_by text,
  judge_overall numeric,
  ttft_ms integer,
  cost_micros bigint not null default 0,
  primary key (tenant_id, run_id, case_key),
  foreign key (tenant_id, run_id) references eval_run (tenant_id, id) on delete cascade
);

alter table eval_run enable row level security;
alter table eval_run_case enable row level security;
create policy tenant_isolation on eval_run using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on eval_run_case using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
