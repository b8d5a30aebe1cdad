-- 022 answer checkpoints: a streaming answer is written as it streams (status 'streaming', the
-- text released so far, checkpoint_at stamped on each write), so a server crash mid-reply keeps
-- the partial answer. On start, and periodically, answers left 'streaming' by a process that is
-- gone are marked 'interrupted' (app/.server/coach/answer-checkpoint.ts).
alter table message add column if not exists checkpoint_at timestamptz;
-- The sweep looks only at the (few) rows still streaming.
create index if not exists message_streaming on message (checkpoint_at) where status = 'streaming';
