-- 095 whether a conversation already holds a hand-off request (ADR 083): the conversation page asks on
-- every load, so the offer of a person is not made again after the person asked. A partial index over
-- the few hand-off events, by conversation; the event still holds no text.
create index if not exists safety_event_handoff_by_conversation on safety_event (tenant_id, conversation_id) where action = 'handoff_requested';
