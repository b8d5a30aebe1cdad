-- 040 usage metering: one append-only event per model call, rollups for the dashboards, and
-- short-lived budget reservations for turns in flight.
-- Why rollups by trigger: events stay the source of truth (append-only, never updated), and a
-- statement-level trigger folds each inserted batch into the rollups in the same transaction,
-- so dashboards and budget checks are never stale and a batch costs one grouped upsert per
-- rollup, not one per row. The rollups are written only by the trigger (security definer);
-- the application role can read them but not change them. Each rollup has the dimensions of
-- one chart, so a year of a busy tenant stays a few thousand rows per query.

create table usage_event (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  -- Millisecond precision so (at, id) keyset cursors round-trip exactly through JS Dates.
  at timestamptz(3) not null default now(),
  user_id text,
  conversation_id uuid,
  message_id uuid,
  purpose text not null check (purpose in ('chat', 'chat-sensitive', 'judge', 'embedding', 'moderation')),
  provider text not null,
  model_id text not null,
  input_tokens integer not null default 0 check (input_tokens >= 0),
  output_tokens integer not null default 0 check (output_tokens >= 0),
  cached_input_tokens integer not null default 0 check (cached_input_tokens >= 0 and cached_input_tokens <= input_tokens),
  -- Integer micro-dollars (1 = $0.000001); 0 with priced = false means "unpriced", not free.
  cost_micros bigint not null default 0 check (cost_micros >= 0),
  price_version text,
  priced boolean not null,
  cost_source text not null check (cost_source in ('provider', 'price_book', 'unpriced')),
  latency_ms integer check (latency_ms >= 0),
  ttft_ms integer check (ttft_ms >= 0),
  status text not null check (status in ('ok', 'error', 'fallback', 'blocked')),
  primary key (tenant_id, id)
);
create index usage_event_tenant_at on usage_event (tenant_id, at, id);
-- Daily message quota: a user's chat turns today.
create index usage_event_tenant_user_at on usage_event (tenant_id, user_id, at);

-- Per tenant, UTC day, model and purpose: cost and tokens per day by model, the month's spend.
create table usage_daily (
  tenant_id uuid not null references tenants(id) on delete cascade,
  day date not null,
  model_id text not null,
  purpose text not null,
  provider text not null,
  calls bigint not null default 0,
  input_tokens bigint not null default 0,
  output_tokens bigint not null default 0,
  cached_input_tokens bigint not null default 0,
  cost_micros bigint not null default 0,
  unpriced_calls bigint not null default 0,
  error_calls bigint not null default 0,
  fallback_calls bigint not null default 0,
  blocked_calls bigint not null default 0,
  latency_ms_sum bigint not null default 0,
  primary key (tenant_id, day, model_id, purpose)
);

-- Per tenant, UTC day and person: "by user" without the model dimension multiplying the rows.
-- user_id '' = no user (e.g. a system job).
create table usage_user_daily (
  tenant_id uuid not null references tenants(id) on delete cascade,
  day date not null,
  user_id text not null,
  calls bigint not null default 0,
  tokens bigint not null default 0,
  cost_micros bigint not null default 0,
  unpriced_calls bigint not null default 0,
  primary key (tenant_id, day, user_id)
);

-- Time to first token as a log-scale histogram per day (bucket b covers 1.1^b to 1.1^(b+1) ms),
-- so p50/p95 over any range are read from a few hundred rows, within about 5%.
create table usage_ttft_daily (
  tenant_id uuid not null references tenants(id) on delete cascade,
  day date not null,
  bucket smallint not null,
  calls bigint not null default 0,
  primary key (tenant_id, day, bucket)
);

-- One row per conversation: "average cost per conversation" over the conversations started in a
-- range, without counting distinct ids across events.
create table usage_conversation (
  tenant_id uuid not null references tenants(id) on delete cascade,
  conversation_id uuid not null,
  first_day date not null,
  last_day date not null,
  calls bigint not null default 0,
  cost_micros bigint not null default 0,
  primary key (tenant_id, conversation_id)
);
create index usage_conversation_first_day on usage_conversation (tenant_id, first_day) include (cost_micros);

-- A hold on budget for a turn in flight, released (deleted) when its usage event is recorded.
-- Expired holds (a crashed turn) stop counting and are swept by the next budget check.
create table budget_reservation (
  tenant_id uuid not null references tenants(id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  user_id text,
  model_id text not null,
  amount_micros bigint not null check (amount_micros >= 0),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (tenant_id, id)
);
create index budget_reservation_tenant_expires on budget_reservation (tenant_id, expires_at);

create or replace function usage_rollup_insert() returns trigger
language plpgsql security definer set search_path = public as $$
begin
  insert into usage_daily as d (tenant_id, day, model_id, purpose, provider, calls, input_tokens, output_tokens,
    cached_input_tokens, cost_micros, unpriced_calls, error_calls, fallback_calls, blocked_calls, latency_ms_sum)
  select tenant_id, (at at time zone 'UTC')::date, model_id, purpose, min(provider), count(*),
    sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cost_micros),
    count(*) filter (where not priced), count(*) filter (where status = 'error'),
    count(*) filter (where status = 'fallback'), count(*) filter (where status = 'blocked'), coalesce(sum(latency_ms), 0)
  from new_events
  group by 1, 2, 3, 4
  on conflict (tenant_id, day, model_id, purpose) do update set
    calls = d.calls + excluded.calls,
    input_tokens = d.input_tokens + excluded.input_tokens,
    output_tokens = d.output_tokens + excluded.output_tokens,
    cached_input_tokens = d.cached_input_tokens + excluded.cached_input_tokens,
    cost_micros = d.cost_micros + excluded.cost_micros,
    unpriced_calls = d.unpriced_calls + excluded.unpriced_calls,
    error_calls = d.error_calls + excluded.error_calls,
    fallback_calls = d.fallback_calls + excluded.fallback_calls,
    blocked_calls = d.blocked_calls + excluded.blocked_calls,
    latency_ms_sum = d.latency_ms_sum + excluded.latency_ms_sum;

  insert into usage_user_daily as u (tenant_id, day, user_id, calls, tokens, cost_micros, unpriced_calls)
  select tenant_id, (at at time zone 'UTC')::date, coalesce(user_id, ''), count(*), sum(input_tokens + output_tokens),
    sum(cost_micros), count(*) filter (where not priced)
  from new_events
  group by 1, 2, 3
  on conflict (tenant_id, day, user_id) do update set
    calls = u.calls + excluded.calls,
    tokens = u.tokens + excluded.tokens,
    cost_micros = u.cost_micros + excluded.cost_micros,
    unpriced_calls = u.unpriced_calls + excluded.unpriced_calls;

  insert into usage_ttft_daily as t (tenant_id, day, bucket, calls)
  select tenant_id, (at at time zone 'UTC')::date, floor(ln(greatest(ttft_ms, 1)) / ln(1.1))::smallint, count(*)
  from new_events
  where ttft_ms is not null
  group by 1, 2, 3
  on conflict (tenant_id, day, bucket) do update set calls = t.calls + excluded.calls;

  insert into usage_conversation as c (tenant_id, conversation_id, first_day, last_day, calls, cost_micros)
  select tenant_id, conversation_id, min((at at time zone 'UTC')::date), max((at at time zone 'UTC')::date), count(*), sum(cost_micros)
  from new_events
  where conversation_id is not null
  group by 1, 2
  on conflict (tenant_id, conversation_id) do update set
    first_day = least(c.first_day, excluded.first_day),
    last_day = greatest(c.last_day, excluded.last_day),
    calls = c.calls + excluded.calls,
    cost_micros = c.cost_micros + excluded.cost_micros;
  return null;
end $$;

create trigger usage_event_rollup after insert on usage_event
  referencing new table as new_events
  for each statement execute function usage_rollup_insert();

alter table usage_event enable row level security;
alter table usage_daily enable row level security;
alter table usage_user_daily enable row level security;
alter table usage_ttft_daily enable row level security;
alter table usage_conversation enable row level security;
alter table budget_reservation enable row level security;
create policy tenant_isolation on usage_event using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on usage_daily using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on usage_user_daily using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on usage_ttft_daily using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on usage_conversation using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
create policy tenant_isolation on budget_reservation using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

-- Usage events are append-only for the application; rollups change only through the trigger.
revoke update, delete on usage_event from rapport_app;
revoke insert, update, delete on usage_daily, usage_user_daily, usage_ttft_daily, usage_conversation from rapport_app;
revoke execute on function usage_rollup_insert() from public;
