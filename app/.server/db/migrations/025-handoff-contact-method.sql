-- 025 the person asking for a hand-off chooses how to be reached (issue 13, item 4): their work
-- email (shared with the case anyway, so someone can reach them), a phone number, another email
-- address, or only through their manager or HR. handoff_case.contact_preference keeps the
-- free-text note ("after 5pm"). A table of its own, because handoff_case is created by a later
-- migration (030) and this range runs before it on a fresh database; one row per case, written
-- in the same transaction as the case. A case without a row is "work email" (cases from before).
create table handoff_contact (
  tenant_id uuid not null references tenants(id) on delete cascade,
  case_id uuid not null,
  -- Deleting the person deletes their cases (030) and so this too.
  user_id text not null references app_user(id) on delete cascade,
  method text not null check (method in ('work_email', 'phone', 'other_email', 'via_manager_hr')),
  value text not null default '' check (char_length(value) <= 200),
  primary key (tenant_id, case_id)
);
alter table handoff_contact enable row level security;
create policy tenant_isolation on handoff_contact using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
