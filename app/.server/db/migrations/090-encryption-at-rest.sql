-- 090 encryption at rest (docs/decisions/029-encryption-at-rest.md): conversation text is stored as
-- AES-256-GCM envelopes under a per-tenant data key; the data keys are stored here wrapped by the
-- master key, which never reaches the database. Deleting a tenant deletes its keys (cascade), so its
-- text — in this database and in every backup of it — can no longer be read (crypto-shredding).

create table tenant_data_key (
  tenant_id uuid not null references tenants(id) on delete cascade,
  version integer not null check (version > 0),
  -- The data key, AES-256-GCM-wrapped by RAPPORT_MASTER_KEY with the tenant id as associated data.
  wrapped_key text not null,
  -- 'active': new values are written with it (one per tenant); 'retired': still read during a rotation.
  status text not null default 'active' check (status in ('active', 'retired')),
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  primary key (tenant_id, version)
);
create unique index tenant_data_key_one_active on tenant_data_key (tenant_id) where status = 'active';
alter table tenant_data_key enable row level security;
create policy tenant_isolation on tenant_data_key using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

-- A keyed digest (HMAC under the data key) of a user message, so a retried message is recognised
-- without the database reading its text.
alter table message add column if not exists content_mac text;

-- Envelopes are longer than the text they hold: the length limits move to the application.
alter table handoff_case drop constraint if exists handoff_case_shared_text_check;
alter table message_feedback drop constraint if exists message_feedback_comment_check;

-- Titles derived from a message are encrypted too; an untitled conversation keeps the plain default.
-- chat_begin_turn now receives the message and title already encrypted, and compares a retried
-- message by its digest.
drop function if exists chat_begin_turn(uuid, text, uuid, text, text, text, text, boolean, integer, integer);
create or replace function chat_begin_turn(
  p_tenant uuid,
  p_user text,
  p_conversation uuid,
  -- The message as an envelope, and its digest.
  p_text text,
  p_text_mac text,
  -- The title (an envelope) a new (or still untitled) conversation takes from this message; null = default.
  p_title text,
  p_default_title text,
  p_country text,
  p_regenerate boolean,
  p_history_limit integer,
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
  keep := coalesce((t.settings ->> 'retentionDays')::integer, p_default_retention_days) > 0;

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

  select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'role', r.role, 'content', r.content, 'mac', r.content_mac, 'status', r.status)
                            order by r.created_at, r.role desc), '[]'::jsonb)
    into history
    from (select m.id, m.role, m.content, m.content_mac, m.status, m.created_at from message m
           where m.tenant_id = p_tenant and m.conversation_id = conv.id
           order by m.created_at desc, m.role asc
           limit p_history_limit) r;

  if p_regenerate then
    select x.e, x.ord into last_user
      from jsonb_array_elements(history) with ordinality as x(e, ord)
     where x.e ->> 'role' = 'user'
     order by x.ord desc limit 1;
    if found and (last_user.e ->> 'content' is null or last_user.e ->> 'mac' = p_text_mac) then
      user_message := (last_user.e ->> 'id')::uuid;
      delete from message m
       where m.tenant_id = p_tenant
         and m.id in (select (x.e ->> 'id')::uuid from jsonb_array_elements(history) with ordinality as x(e, ord) where x.ord > last_user.ord);
      select coalesce(jsonb_agg(x.e order by x.ord), '[]'::jsonb) into history
        from jsonb_array_elements(history) with ordinality as x(e, ord) where x.ord < last_user.ord;
    end if;
  end if;

  if user_message is null then
    insert into message (tenant_id, conversation_id, user_id, role, content, content_mac, status)
    values (p_tenant, conv.id, p_user, 'user', case when keep then p_text end, case when keep then p_text_mac end, 'complete')
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
grant execute on function chat_begin_turn(uuid, text, uuid, text, text, text, text, text, boolean, integer, integer) to rapport_app;

-- A deleted tenant leaves this behind in place of its audit log: who deleted it, when, and how many
-- rows went — no content (there is no tenant left for audit_log's foreign key).
-- Not tenant data (the tenant is gone), so no tenant_id column, no row-level security; operators only.
create table tenant_tombstone (
  deleted_tenant_id uuid primary key,
  slug text not null,
  name text not null,
  deleted_at timestamptz not null default now(),
  deleted_by text not null default '',
  details jsonb not null default '{}'::jsonb
);
