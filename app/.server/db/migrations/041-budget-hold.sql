-- 041 the budget check of a chat turn in one statement. checkEntitlements used to lock the tenant
-- row, sweep expired holds, read the month's spend, the open holds and the user's turns today,
-- then insert its hold: seven round trips with the tenant row locked (and, on the embedded
-- database, everyone else waiting) across all of them. budget_hold does the lock, the sweep, the
-- reads and a provisional hold for the requested model at once; the caller decides (budget.ts,
-- pure) while the lock is still held and, in the rare blocked or fallback case, drops or re-prices
-- the hold in the same transaction. SECURITY INVOKER: runs as rapport_app under row-level security.
create or replace function budget_hold(
  p_tenant uuid,
  p_user text,
  p_model text,
  p_micros bigint,
  p_now timestamptz,
  p_expires timestamptz,
  -- UTC month start and today, for the daily rollup; the user's UTC day as an instant range.
  p_month_start date,
  p_today date,
  p_day_start timestamptz,
  p_day_end timestamptz
) returns table (settings jsonb, spend_micros text, reserved_micros text, user_reserved bigint, user_turns bigint, reservation_id uuid)
language plpgsql as $$
declare
  s jsonb;
begin
  -- Serialises the decisions of one tenant: concurrent turns see each other's holds.
  select t.settings into s from tenants t where t.id = p_tenant for update;
  if not found then
    raise exception 'tenant % not found', p_tenant;
  end if;
  delete from budget_reservation r where r.tenant_id = p_tenant and r.expires_at <= p_now;
  settings := s;
  select coalesce(sum(d.cost_micros), 0)::text into spend_micros
    from usage_daily d where d.tenant_id = p_tenant and d.day >= p_month_start and d.day <= p_today;
  select coalesce(sum(r.amount_micros), 0)::text, count(*) filter (where r.user_id = p_user)
    into reserved_micros, user_reserved
    from budget_reservation r where r.tenant_id = p_tenant and r.expires_at > p_now;
  -- Chat turns today: one per message, however many models were tried.
  select count(distinct coalesce(e.message_id::text, e.id::text)) into user_turns
    from usage_event e
   where e.tenant_id = p_tenant and e.user_id = p_user and e.at >= p_day_start and e.at < p_day_end
     and e.purpose in ('chat', 'chat-sensitive') and e.status <> 'blocked';
  insert into budget_reservation (tenant_id, user_id, model_id, amount_micros, created_at, expires_at)
  values (p_tenant, p_user, p_model, p_micros, p_now, p_expires)
  returning id into reservation_id;
  return next;
end $$;
