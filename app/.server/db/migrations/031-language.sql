-- 031 language: the language a conversation is held in, and the language of each safety event.
-- Why: the resources panel is shown in the person's language when the conversation is reopened,
-- and employers' safety counts can be read per language. Both hold a language code, never text.
alter table conversation add column language text check (language is null or language ~ '^[a-z]{2,3}$');
alter table safety_event add column language text check (language is null or language ~ '^[a-z]{2,3}$');
