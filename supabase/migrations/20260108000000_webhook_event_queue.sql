-- Stored webhook payloads are the worker's queue: the row the webhook route inserts is the work item, so
-- accepting a POST is one durable write and nothing else. The worker claims due rows with
-- `for update skip locked` inside the transaction that applies them, so a crashed worker's claim simply
-- ends with its transaction. A payload that keeps failing waits `retry_at` between tries and, after the
-- last one, stays unprocessed with its error: the dead letters ops can retry or clear.
alter table public.webhook_events
  add column if not exists retry_at timestamptz;

drop index if exists public.webhook_events_unprocessed_idx;
create index if not exists webhook_events_unprocessed_idx on public.webhook_events (received_at)
  include (attempts, retry_at) where processed_at is null;
