-- 023 a tenant settings row written by an older version, or by hand in SQL, must not break chat
-- turns (issue 13, item 10). chat_begin_turn read retentionDays with a plain ::integer cast, which
-- raises on 12.5, "ninety" or {} and so failed every turn of that tenant. settings_retention_days()
-- reads it the way the app does (app/.server/tenants/settings-read.ts): a whole number 0–3650, or
-- the default. The function below is 021's with only that line changed.
create or replace function settings_retention_days(p_settings jsonb, p_default integer) returns integer
language sql immutable as $$
  select case
    when jsonb_typeof(p_settings -> 'retentionDays') = 'number'
     and (p_settings ->> 'retentionDays') ~ '^[0-9]{1,4}$'
     and (p_settings ->> 'retentionDays')::integer <= 3650
    then (p_settings ->> 'retentionDays')::integer
    else p_default
  end
$$;

create or replace function chat_begin_turn(
  p_tenant uuid,
  p_user text,
  p_conversation uuid,
  p_text text,
  -- The title a new (or still untitled) conversation takes from this message; null = default.
  p_title text,
  p_default_title text,
  p_country text,
  p_regenerate boolean,
  p_history_limit integer,
  -- tenantSettingsSchema's default, for settings stored without retentionDays.
  p_default_retention_days integer
) returns jsonb
language plpgsql as $$
declare
  t record;
  conv record;
  keep boolean;
  created boolean := false;
  v_title text;
  last_user record;
  user_message uuid;
  history jsonb;
begin
  select tn.id, tn.slug, tn.name, tn.industry, tn.country, tn.settings,
         v.id as version_id, v.number as version, v.tone, v.norms, v.resources
    into t
    from tenants tn
    left join culture_pack p on p.tenant_id = tn.id
    left join pack_version v on v.tenant_id = p.tenant_id and v.id = p.published_version_id
   where tn.id = p_tenant;
  if not found then
    raise exception 'tenant % not found', p_tenant;
  end if;
  keep := settings_retention_days(t.settings, p_default_retention_days) > 0;

  if p_conversation is not null then
    select c.id, c.title, c.safety_level, c.country into conv
      from conversation c
     where c.tenant_id = p_tenant and c.id = p_conversation and c.user_id = p_user;
    if not found then
      return jsonb_build_object('notFound', true);
    end if;
    v_title := case when conv.title = p_default_title and keep then coalesce(p_title, p_default_title) else conv.title end;
  else
    v_title := case when keep then coalesce(p_title, p_default_title) else p_default_title end;
    insert into conversation (tenant_id, user_id, title, country)
    values (p_tenant, p_user, v_title, p_country)
    returning id, conversation.title, safety_level, country into conv;
    created := true;
  end if;

  -- The recent window, oldest first, as the model will see it (the message being stored excluded).
  select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'role', r.role, 'content', r.content, 'status', r.status)
                            order by r.created_at, r.role desc), '[]'::jsonb)
    into history
    from (select m.id, m.role, m.content, m.status, m.created_at from message m
           where m.tenant_id = p_tenant and m.conversation_id = conv.id
           order by m.created_at desc, m.role asc
           limit p_history_limit) r;

  if p_regenerate then
    select x.e, x.ord into last_user
      from jsonb_array_elements(history) with ordinality as x(e, ord)
     where x.e ->> 'role' = 'user'
     order by x.ord desc limit 1;
    -- A retry of a message that never reached us (the network failed) is stored as new.
    if found and (last_user.e ->> 'content' is null or last_user.e ->> 'content' = p_text) then
      user_message := (last_user.e ->> 'id')::uuid;
      -- The answers being retried are replaced by the new one.
      delete from message m
       where m.tenant_id = p_tenant
         and m.id in (select (x.e ->> 'id')::uuid from jsonb_array_elements(history) with ordinality as x(e, ord) where x.ord > last_user.ord);
      select coalesce(jsonb_agg(x.e order by x.ord), '[]'::jsonb) into history
        from jsonb_array_elements(history) with ordinality as x(e, ord) where x.ord < last_user.ord;
    end if;
  end if;

  if user_message is null then
    insert into message (tenant_id, conversation_id, user_id, role, content, status)
    values (p_tenant, conv.id, p_user, 'user', case when keep then p_text end, 'complete')
    returning id into user_message;
  end if;
  if not created then
    update conversation c set updated_at = now(), title = v_title
     where c.tenant_id = p_tenant and c.id = conv.id;
  end if;

  return jsonb_build_object(
    'tenant', jsonb_build_object('id', t.id, 'slug', t.slug, 'name', t.name, 'industry', t.industry, 'country', t.country, 'settings', t.settings),
    'published', case when t.version_id is not null and t.version is not null and t.tone is not null and t.resources is not null then
      jsonb_build_object('versionId', t.version_id, 'version', t.version, 'tone', t.tone, 'norms', coalesce(t.norms, '[]'::jsonb), 'resources', t.resources) end,
    'conversationId', conv.id,
    'title', v_title,
    'safetyLevel', conv.safety_level,
    'country', conv.country,
    'created', created,
    'keepText', keep,
    'userMessageId', user_message,
    'history', history);
end $$;
