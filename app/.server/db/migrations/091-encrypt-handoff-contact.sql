-- 091 how a person asked to be reached is encrypted at rest too (ADR 029): the phone number or other
-- email in handoff_contact.value and the note on timing in handoff_case.contact_preference are
-- personal details the person chose to share with HR only. Their 200-character limits move into the
-- code (events.ts), since the stored envelopes are longer; the start-up sweep encrypts old rows.
alter table handoff_case drop constraint if exists handoff_case_contact_preference_check;
alter table handoff_contact drop constraint if exists handoff_contact_value_check;
