-- A send is in doubt when the worker that claimed it died before it could ack, retry or release the
-- job: the claim itself is the marker, so nothing more is written per send. Until now each chunk
-- wrote messages.send_attempted_at before its sends (one more update of every outbound message, and
-- one more round trip per chunk). A job now remembers when its current claim began; a claim that
-- ends cleanly forgets it, one whose visibility runs out keeps it, and the next claim answers it as
-- lost_claim_at so the worker can give Meta's status webhook time to adopt a send that did go out.

alter table engine.jobs add column if not exists claimed_at timestamptz;
alter table public.messages drop column if exists send_attempted_at;

drop function if exists engine.claim_jobs(text, integer, double precision);
create function engine.claim_jobs(p_queue text, p_max integer, p_visibility_ms double precision)
returns table (id text, payload jsonb, attempts integer, lease uuid, enqueued_at double precision, lost_claim_at double precision)
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  with clock as materialized (select pg_catalog.clock_timestamp() as now),
  stuck as materialized (
    select j.id, j.claimed_at from engine.jobs j
    where j.queue = p_queue and j.state = 'processing' and j.visible_until <= (select now from clock)
    order by j.visible_until
    limit p_max
    for update skip locked
  ),
  ready as materialized (
    select j.id, j.claimed_at from engine.jobs j
    where j.queue = p_queue and j.state = 'pending' and j.run_at <= (select now from clock)
    order by j.run_at, j.seq
    limit greatest(p_max - (select count(*) from stuck), 0)
    for update skip locked
  ),
  -- A pending job still holding claimed_at was recovered from a lost claim (recover_stuck_jobs).
  taken as (select s.id, s.claimed_at as lost from stuck s union all select r.id, r.claimed_at from ready r),
  claimed as (
    update engine.jobs j
    set state = 'processing',
        attempts = j.attempts + 1,
        lease = pg_catalog.gen_random_uuid(),
        claimed_at = (select now from clock),
        visible_until = (select now from clock) + engine.ms(p_visibility_ms)
    from taken t
    where j.queue = p_queue and j.id = t.id
    returning j.id, j.payload, j.attempts, j.lease, j.enqueued_at, j.run_at, j.seq, t.lost
  )
  select c.id, c.payload, c.attempts, c.lease, engine.epoch_ms(c.enqueued_at), engine.epoch_ms(c.lost)
  from claimed c
  order by c.run_at, c.seq
$$;

create or replace function engine.reschedule_job(p_queue text, p_id text, p_lease text, p_at_ms double precision,
                                                 p_counts boolean, p_reason text)
returns boolean
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  with moved as (
    update engine.jobs j
    set state = 'pending',
        run_at = engine.from_epoch_ms(p_at_ms),
        attempts = case when p_counts then j.attempts else j.attempts - 1 end,
        lease = null,
        visible_until = null,
        claimed_at = null,
        reason = coalesce(p_reason, j.reason)
    where j.queue = p_queue and j.id = p_id and j.state = 'processing' and j.lease::text = p_lease
    returning 1
  )
  select exists (select 1 from moved)
$$;

create or replace function engine.dead_letter_job(p_queue text, p_id text, p_lease text, p_reason text)
returns boolean
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  with moved as (
    update engine.jobs j
    set state = 'dead', reason = p_reason, failed_at = pg_catalog.clock_timestamp(), lease = null, visible_until = null, claimed_at = null
    where j.queue = p_queue and j.id = p_id and j.state = 'processing' and j.lease::text = p_lease
    returning 1
  )
  select exists (select 1 from moved)
$$;

-- A function created anew starts with EXECUTE for PUBLIC; the engine stays its owner's alone.
revoke all on function engine.claim_jobs(text, integer, double precision) from public, anon, authenticated, service_role;
