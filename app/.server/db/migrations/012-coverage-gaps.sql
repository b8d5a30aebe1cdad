-- 012 Questions the culture pack did not cover, for HR (ADR 013). One row per not-covered turn:
-- the week, a topic label from a fixed list (app/.server/coach/coverage-gaps.ts — never the
-- question's text) and a per-tenant pseudonym of the person, so HR can be shown a topic only when
-- at least 5 different people asked about it that week. No message id, conversation id or user id:
-- a row cannot be joined back to a conversation. Zero-retention tenants write none.
create table coverage_gap (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- Monday of the week (date_trunc('week')).
  week date not null,
  topic text not null check (length(topic) between 1 and 80),
  person text not null check (length(person) = 32),
  primary key (tenant_id, id)
);
create index coverage_gap_week on coverage_gap (tenant_id, week, topic);
alter table coverage_gap enable row level security;
create policy tenant_isolation on coverage_gap using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
-- Append-only for the application: nothing edits or removes a recorded gap except tenant deletion.
revoke update, delete on coverage_gap from rapport_app;
