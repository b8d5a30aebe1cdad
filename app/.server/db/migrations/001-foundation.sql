-- 001 foundation: tenants, users, sessions, invites, sign-in attempts, audit log.
-- Why: everything else hangs off a tenant. Every tenant-owned table carries tenant_id in its
-- primary key (ready for distribution by tenant) and a row-level-security policy that the
-- application role rapport_app cannot escape (see docs/decisions/003-tenant-isolation-rls.md).

create extension if not exists vector;

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'rapport_app') then
    create role rapport_app nologin;
  end if;
end $$;
-- The connecting role must be able to SET ROLE rapport_app (a no-op for superusers).
do $$
begin
  execute format('grant rapport_app to %I', current_user);
exception when others then null;
end $$;

create or replace function app_tenant_id() returns uuid
language sql stable as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;

create table tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9-]{2,40}$'),
  name text not null,
  industry text not null default '',
  country text not null default 'US',
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

create table app_user (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id text not null unique,
  email text not null unique check (email = lower(email)),
  display_name text not null default '',
  role text not null check (role in ('manager', 'hr_admin', 'tenant_admin')),
  status text not null default 'active' check (status in ('active', 'deactivated')),
  password_hash text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);

create table user_session (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id text not null unique,
  user_id text not null references app_user(id) on delete cascade,
  expires_at timestamptz not null,
  primary key (tenant_id, id)
);
create index user_session_user on user_session (user_id);

create table invite (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  email text not null check (email = lower(email)),
  role text not null check (role in ('manager', 'hr_admin', 'tenant_admin')),
  token_hash text not null unique,
  created_by text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  primary key (tenant_id, id)
);

-- Facts about this installation (e.g. when the demo tenants were seeded).
create table app_meta (
  key text primary key,
  value text not null,
  updated_at timestamptz not null default now()
);

-- Sign-in attempts are keyed by account and by IP, across tenants (not tenant data).
create table login_attempt (
  key text not null,
  at timestamptz not null default now(),
  success boolean not null
);
create index login_attempt_key_at on login_attempt (key, at);

create table audit_log (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  at timestamptz not null default now(),
  actor_user_id text,
  actor_label text not null default '',
  action text not null,
  target text not null default '',
  details jsonb not null default '{}'::jsonb,
  primary key (tenant_id, id)
);
create index audit_log_tenant_at on audit_log (tenant_id, at desc);

alter table tenants enable row level security;
alter table app_user enable row level security;
alter table user_session enable row level security;
alter table invite enable row level security;
alter table audit_log enable row level security;

create policy tenant_isolation on tenants using (id = app_tenant_id()) with check (id = app_tenant_id());
create policy tenant_isolation on app_user using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on user_session using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on invite using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on audit_log using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

grant usage on schema public to rapport_app;
grant select, insert, update, delete on all tables in schema public to rapport_app;
grant usage, select on all sequences in schema public to rapport_app;
grant execute on all functions in schema public to rapport_app;
-- The audit log is append-only for the application.
revoke update, delete on audit_log from rapport_app;
alter default privileges in schema public grant select, insert, update, delete on tables to rapport_app;
alter default privileges in schema public grant usage, select on sequences to rapport_app;
revoke all on schema_migrations from rapport_app;
revoke all on app_meta from rapport_app;
