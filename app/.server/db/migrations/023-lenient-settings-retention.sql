-- 023 a tenant settings row written by an older version, or by hand in SQL, must not break chat
-- turns (issue 13, item 10). The app reads settings leniently (app/.server/tenants/settings-read.ts),
-- but the chat-turn SQL function reads retentionDays itself with a plain ::integer cast, which
-- raises on 12.5, "ninety" or {} and so failed every turn of that tenant. That function is
-- redefined by later migrations, so rather than patch each copy, the stored value is kept
-- castable: a retentionDays that is not a whole number 0–3650 is dropped on every write (the
-- default then applies, as in the app) with a notice, and existing rows are cleaned once here.
create or replace function settings_retention_ok(p_settings jsonb) returns boolean
language sql immutable as $$
  select not (p_settings ? 'retentionDays')
      or (jsonb_typeof(p_settings -> 'retentionDays') = 'number'
          and (p_settings ->> 'retentionDays') ~ '^[0-9]{1,4}$'
          and (p_settings ->> 'retentionDays')::integer <= 3650)
$$;

create or replace function tenants_settings_castable() returns trigger
language plpgsql as $$
begin
  if jsonb_typeof(new.settings) is distinct from 'object' then
    raise notice 'tenant %: settings were not a JSON object; using the defaults', new.id;
    new.settings := '{}'::jsonb;
  elsif not settings_retention_ok(new.settings) then
    raise notice 'tenant %: invalid retentionDays % dropped; the default applies', new.id, new.settings -> 'retentionDays';
    new.settings := new.settings - 'retentionDays';
  end if;
  return new;
end $$;

create trigger tenants_settings_castable before insert or update of settings on tenants
  for each row execute function tenants_settings_castable();

update tenants set settings = settings - 'retentionDays' where not settings_retention_ok(settings);
