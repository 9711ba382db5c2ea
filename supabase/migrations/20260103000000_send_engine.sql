-- Send engine state for the Postgres adapters of its three ports (src/core/sending): durable job
-- queues, the pacer's rate/pair/unique-window state and the per-number circuit breakers.
--
-- Everything lives in `engine`, a schema no API role can reach: only the service connection, which
-- owns these objects, uses them. The rows hold ids and counters, not tenant data, so there is no
-- tenant_id and no tenant policy (the catalog-driven RLS suite covers `public` only).
--
-- Each atomic operation is one function, so every adapter call is one statement and one round trip.
-- All times come from the database clock (clock_timestamp(), never the callers' clocks, which differ
-- between workers); callers pass and receive epoch milliseconds. Plain SQL and PL/pgSQL only, so the
-- embedded PGlite runs the same file.

create schema if not exists engine;

-- A new schema grants nothing to PUBLIC, but say so explicitly, and keep functions added to it later
-- from becoming executable by PUBLIC (the default for functions in any schema).
revoke all on schema engine from public, anon, authenticated, service_role;
alter default privileges in schema engine revoke execute on functions from public;

-- Helpers ---------------------------------------------------------------------------------------
-- Not SECURITY DEFINER and without a SET clause so the planner can inline them into the callers.

-- Whole milliseconds. Stable, not immutable, only because date_part on a timestamptz is declared
-- so (the epoch itself does not depend on the time zone).
create or replace function engine.epoch_ms(p_at timestamptz)
returns double precision
language sql stable
as $$
  select pg_catalog.floor(pg_catalog.date_part('epoch', p_at) * 1000)
$$;

create or replace function engine.from_epoch_ms(p_ms double precision)
returns timestamptz
language sql immutable
as $$
  select pg_catalog.to_timestamp(p_ms / 1000)
$$;

create or replace function engine.ms(p_ms double precision)
returns interval
language sql immutable
as $$
  select p_ms * interval '1 millisecond'
$$;

-- Whole milliseconds from `p_now` until `p_until`, rounded up so a caller never wakes too early;
-- 0 when it has passed.
create or replace function engine.wait_ms(p_until timestamptz, p_now timestamptz)
returns double precision
language sql immutable
as $$
  select case when p_until <= p_now then 0
              else pg_catalog.ceil(pg_catalog.date_part('epoch', p_until - p_now) * 1000) end
$$;

-- Jobs ------------------------------------------------------------------------------------------
-- The hot functions below commit asynchronously (synchronous_commit off for their transaction only):
-- a crash of the database may forget the last fraction of a second of queue and pacer changes, which
-- the engine already tolerates (a forgotten ack is a bounded re-send, a forgotten enqueue is swept up
-- again), while each call stops waiting for a disk flush.

create table if not exists engine.jobs (
  queue text not null,
  id text not null,
  payload jsonb not null,
  state text not null default 'pending' check (state in ('pending', 'processing', 'dead')),
  -- Not claimed before this; the claim order.
  run_at timestamptz not null,
  -- Ties on run_at (a whole batch shares one) are broken in enqueue order.
  seq bigint generated always as identity,
  attempts integer not null default 0,
  -- A fresh one per claim: ack/retry/release/deadLetter with an older lease are refused.
  lease uuid,
  visible_until timestamptz,
  enqueued_at timestamptz not null default clock_timestamp(),
  -- The last failure (retry) or why it was given up (dead).
  reason text,
  failed_at timestamptz,
  -- Also the idempotency key: an id stays taken while the job is pending, processing or dead.
  primary key (queue, id)
);
-- claim: ready jobs, oldest first. Partial indexes stay small: they hold only jobs in that state.
create index if not exists jobs_claim_idx on engine.jobs (queue, run_at, seq) where state = 'pending';
-- claim and recoverStuck: claimed jobs whose visibility timeout passed.
create index if not exists jobs_stuck_idx on engine.jobs (queue, visible_until) where state = 'processing';
-- listDead / clear('dead').
create index if not exists jobs_dead_idx on engine.jobs (queue, failed_at) where state = 'dead';

-- p_jobs: a JSON array of {id?, payload, runAt?}. Answers how many were new.
create or replace function engine.enqueue_jobs(p_queue text, p_jobs jsonb)
returns integer
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  with clock as materialized (select pg_catalog.clock_timestamp() as now),
  added as (
    insert into engine.jobs (queue, id, payload, run_at)
    select p_queue,
           coalesce(e ->> 'id', pg_catalog.gen_random_uuid()::text),
           coalesce(e -> 'payload', 'null'::jsonb),
           coalesce(engine.from_epoch_ms((e ->> 'runAt')::double precision), (select now from clock))
    from pg_catalog.jsonb_array_elements(p_jobs) with ordinality as j(e, ord)
    order by j.ord
    on conflict (queue, id) do nothing
    returning 1
  )
  select count(*)::integer from added
$$;

-- One statement claims up to p_max jobs: first those whose worker vanished (visibility timeout
-- passed; no recoverStuck needed), then ready ones, oldest run_at first. SKIP LOCKED lets
-- concurrent claimers take disjoint jobs without waiting on each other.
create or replace function engine.claim_jobs(p_queue text, p_max integer, p_visibility_ms double precision)
returns table (id text, payload jsonb, attempts integer, lease uuid, enqueued_at double precision)
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  with clock as materialized (select pg_catalog.clock_timestamp() as now),
  stuck as materialized (
    select j.id from engine.jobs j
    where j.queue = p_queue and j.state = 'processing' and j.visible_until <= (select now from clock)
    order by j.visible_until
    limit p_max
    for update skip locked
  ),
  ready as materialized (
    select j.id from engine.jobs j
    where j.queue = p_queue and j.state = 'pending' and j.run_at <= (select now from clock)
    order by j.run_at, j.seq
    limit greatest(p_max - (select count(*) from stuck), 0)
    for update skip locked
  ),
  claimed as (
    update engine.jobs j
    set state = 'processing',
        attempts = j.attempts + 1,
        lease = pg_catalog.gen_random_uuid(),
        visible_until = (select now from clock) + engine.ms(p_visibility_ms)
    where j.queue = p_queue and j.id in (select s.id from stuck s union all select r.id from ready r)
    returning j.id, j.payload, j.attempts, j.lease, j.enqueued_at, j.run_at, j.seq
  )
  select c.id, c.payload, c.attempts, c.lease, engine.epoch_ms(c.enqueued_at)
  from claimed c
  order by c.run_at, c.seq
$$;

-- The lease is compared as text so a malformed one is simply not the current lease.
create or replace function engine.ack_job(p_queue text, p_id text, p_lease text)
returns boolean
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  with done as (
    delete from engine.jobs j
    where j.queue = p_queue and j.id = p_id and j.state = 'processing' and j.lease::text = p_lease
    returning 1
  )
  select exists (select 1 from done)
$$;

-- Many acks in one statement: p_ids[i] with p_leases[i]. Answers how many still held their lease.
create or replace function engine.ack_jobs(p_queue text, p_ids text[], p_leases text[])
returns integer
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  with done as (
    delete from engine.jobs j
    using rows from (pg_catalog.unnest(p_ids), pg_catalog.unnest(p_leases)) as a(id, lease)
    where j.queue = p_queue and j.id = a.id and j.state = 'processing' and j.lease::text = a.lease
    returning 1
  )
  select count(*)::integer from done
$$;

-- The queues whose name starts with p_prefix and that hold a job (p_ready_only: one a claim would
-- take now — due, or claimed by a worker whose visibility timeout passed). A loose index scan: one index probe per distinct queue, however many jobs each holds.
create or replace function engine.list_queues(p_prefix text, p_ready_only boolean)
returns setof text
language sql stable set search_path = ''
as $$
  with recursive names as (
    (select j.queue from engine.jobs j where j.queue >= p_prefix order by j.queue limit 1)
    union all
    select (select j.queue from engine.jobs j where j.queue > n.queue order by j.queue limit 1)
    from names n
    where n.queue is not null and pg_catalog.starts_with(n.queue, p_prefix)
  )
  select n.queue from names n
  where n.queue is not null and pg_catalog.starts_with(n.queue, p_prefix)
    and (not p_ready_only
         or exists (select 1 from engine.jobs j
                    where j.queue = n.queue and j.state = 'pending' and j.run_at <= pg_catalog.clock_timestamp())
         or exists (select 1 from engine.jobs j
                    where j.queue = n.queue and j.state = 'processing' and j.visible_until <= pg_catalog.clock_timestamp()))
$$;

-- Back to pending at p_at_ms. p_counts = false (release: not tried) gives the claim's attempt back.
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
    set state = 'dead', reason = p_reason, failed_at = pg_catalog.clock_timestamp(), lease = null, visible_until = null
    where j.queue = p_queue and j.id = p_id and j.state = 'processing' and j.lease::text = p_lease
    returning 1
  )
  select exists (select 1 from moved)
$$;

create or replace function engine.queue_stats(p_queue text)
returns table (pending integer, delayed integer, processing integer, dead integer)
language sql volatile set search_path = ''
as $$
  with clock as materialized (select pg_catalog.clock_timestamp() as now)
  select (count(*) filter (where j.state = 'pending' and j.run_at <= (select now from clock)))::integer,
         (count(*) filter (where j.state = 'pending' and j.run_at > (select now from clock)))::integer,
         (count(*) filter (where j.state = 'processing'))::integer,
         (count(*) filter (where j.state = 'dead'))::integer
  from engine.jobs j
  where j.queue = p_queue
$$;

create or replace function engine.list_dead_jobs(p_queue text, p_limit integer)
returns table (id text, payload jsonb, attempts integer, reason text, failed_at double precision)
language sql stable set search_path = ''
as $$
  select j.id, j.payload, j.attempts, coalesce(j.reason, ''), engine.epoch_ms(j.failed_at)
  from engine.jobs j
  where j.queue = p_queue and j.state = 'dead'
  order by j.failed_at desc, j.id
  limit p_limit
$$;

-- One dead job (p_id) or all of the queue back to pending, ready now, attempts reset.
create or replace function engine.retry_dead_jobs(p_queue text, p_id text)
returns integer
language sql volatile set search_path = ''
as $$
  with moved as (
    update engine.jobs j
    set state = 'pending', run_at = pg_catalog.clock_timestamp(), attempts = 0, reason = null, failed_at = null
    where j.queue = p_queue and j.state = 'dead' and (p_id is null or j.id = p_id)
    returning 1
  )
  select count(*)::integer from moved
$$;

-- Jobs a claimer holds right now (SKIP LOCKED) are left to it.
create or replace function engine.recover_stuck_jobs(p_queue text)
returns integer
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  with stuck as materialized (
    select j.id from engine.jobs j
    where j.queue = p_queue and j.state = 'processing' and j.visible_until <= pg_catalog.clock_timestamp()
    for update skip locked
  ),
  moved as (
    update engine.jobs j
    set state = 'pending', lease = null, visible_until = null
    where j.queue = p_queue and j.id in (select s.id from stuck s)
    returning 1
  )
  select count(*)::integer from moved
$$;

-- p_what: 'dead' or 'all'.
create or replace function engine.clear_jobs(p_queue text, p_what text)
returns integer
language sql volatile set search_path = ''
as $$
  with gone as (
    delete from engine.jobs j
    where j.queue = p_queue and (p_what = 'all' or (p_what = 'dead' and j.state = 'dead'))
    returning 1
  )
  select count(*)::integer from gone
$$;

-- Pacer: throughput (GCRA) -------------------------------------------------------------------------

create table if not exists engine.rate_states (
  key text primary key,
  -- Theoretical arrival time: the next free send slot. In the past means idle.
  tat timestamptz not null,
  -- The fraction of the configured rate allowed at factor_at; climbs linearly back to 1 over recovery_ms.
  factor double precision not null default 1 check (factor > 0 and factor <= 1),
  factor_at timestamptz not null default clock_timestamp(),
  recovery_ms double precision not null default 0
);

create or replace function engine.rate_factor(p_factor double precision, p_factor_at timestamptz,
                                              p_recovery_ms double precision, p_now timestamptz)
returns double precision
language sql immutable
as $$
  select case when p_factor >= 1 or p_recovery_ms <= 0 then 1
              else least(1, p_factor + (1 - p_factor) * pg_catalog.date_part('epoch', p_now - p_factor_at) * 1000 / p_recovery_ms)
         end
$$;

-- Takes p_count consecutive slots 1000 / (p_per_second × factor) ms apart, starting at the next free
-- slot or now, whichever is later (so idle time is never banked as a burst); answers ms until the
-- first. The upsert holds the row lock while it reads the clock, so concurrent callers queue up
-- behind one another and get consecutive slots.
create or replace function engine.reserve_slots(p_key text, p_per_second double precision, p_count integer)
returns double precision
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  insert into engine.rate_states as r (key, tat)
  values (p_key, pg_catalog.clock_timestamp() + engine.ms(p_count::double precision * 1000 / p_per_second))
  on conflict (key) do update
    set tat = greatest(pg_catalog.clock_timestamp(), r.tat)
              + engine.ms(p_count::double precision * 1000 / (p_per_second * engine.rate_factor(r.factor, r.factor_at, r.recovery_ms, pg_catalog.clock_timestamp())))
  -- The first slot is the new tat minus what was just reserved.
  returning engine.wait_ms(
    r.tat - engine.ms(p_count::double precision * 1000 / (p_per_second * engine.rate_factor(r.factor, r.factor_at, r.recovery_ms, pg_catalog.clock_timestamp()))),
    pg_catalog.clock_timestamp())
$$;

-- Multiplies the current factor by p_by (kept within [0.05, 1]) and restarts its recovery.
create or replace function engine.slow_down(p_key text, p_by double precision, p_recovery_ms double precision)
returns double precision
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  insert into engine.rate_states as r (key, tat, factor, factor_at, recovery_ms)
  values (p_key, pg_catalog.clock_timestamp(), least(1, greatest(0.05, p_by)), pg_catalog.clock_timestamp(), p_recovery_ms)
  on conflict (key) do update
    set factor = least(1, greatest(0.05, engine.rate_factor(r.factor, r.factor_at, r.recovery_ms, pg_catalog.clock_timestamp()) * p_by)),
        factor_at = pg_catalog.clock_timestamp(),
        recovery_ms = p_recovery_ms
  returning r.factor
$$;

-- Unknown keys are idle at full rate.
create or replace function engine.read_rate_states(p_keys text[])
returns table (key text, factor double precision, backlog_ms double precision)
language sql volatile set search_path = ''
as $$
  with clock as materialized (select pg_catalog.clock_timestamp() as now)
  select k.key,
         coalesce(engine.rate_factor(r.factor, r.factor_at, r.recovery_ms, c.now), 1),
         coalesce(engine.wait_ms(r.tat, c.now), 0)
  from pg_catalog.unnest(p_keys) as k(key)
  cross join clock c
  left join engine.rate_states r on r.key = k.key
$$;

-- Pacer: pair rate (token bucket) ------------------------------------------------------------------

create table if not exists engine.pair_credits (
  key text primary key,
  -- Events available at `at`; one more accrues every interval, up to the burst.
  credit double precision not null,
  at timestamptz not null,
  -- When the bucket is full again: from then on the row says nothing a missing row would not.
  full_at timestamptz not null
);
-- One key per number and customer ever messaged: rows that refilled are retired (see try_take).
create index if not exists pair_credits_full_at_idx on engine.pair_credits (full_at);

-- Takes one credit and answers 0, or answers ms until one accrues and changes nothing. A new key
-- starts with a full burst. The row is locked before the clock is read so concurrent takers queue.
-- Each new key retires up to two keys whose buckets refilled, which keeps the table to the pairs
-- messaged recently without a separate sweeper.
create or replace function engine.try_take(p_key text, p_interval_ms double precision, p_burst double precision)
returns double precision
language plpgsql volatile set search_path = ''
as $$
declare
  v_burst double precision := greatest(p_burst, 1);
  v_credit double precision;
  v_at timestamptz;
  v_now timestamptz;
begin
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  loop
    insert into engine.pair_credits (key, credit, at, full_at)
    values (p_key, v_burst, pg_catalog.clock_timestamp(), pg_catalog.clock_timestamp())
    on conflict (key) do nothing;
    if found then
      delete from engine.pair_credits c
      where c.key in (
        select o.key from engine.pair_credits o
        where o.full_at < pg_catalog.clock_timestamp() and o.key <> p_key
        order by o.full_at
        limit 2
        for update skip locked);
    end if;
    select c.credit, c.at into v_credit, v_at from engine.pair_credits c where c.key = p_key for update;
    -- Not found: another caller retired the (refilled) row in between; create it afresh.
    exit when found;
  end loop;
  v_now := pg_catalog.clock_timestamp();
  v_credit := least(v_burst, v_credit + pg_catalog.date_part('epoch', v_now - v_at) * 1000 / p_interval_ms);
  if v_credit >= 1 then
    update engine.pair_credits
    set credit = v_credit - 1, at = v_now, full_at = v_now + engine.ms((v_burst - (v_credit - 1)) * p_interval_ms)
    where key = p_key;
    return 0;
  end if;
  return pg_catalog.ceil((1 - v_credit) * p_interval_ms);
end
$$;

-- try_take for many keys in one statement (one round trip, one commit), in order.
create or replace function engine.try_take_many(p_keys text[], p_interval_ms double precision, p_burst double precision)
returns double precision[]
language plpgsql volatile set search_path = ''
as $$
declare
  v_waits double precision[] := '{}';
  v_key text;
begin
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  foreach v_key in array p_keys loop
    v_waits := v_waits || engine.try_take(v_key, p_interval_ms, p_burst);
  end loop;
  return v_waits;
end
$$;

-- Pacer: unique members in a moving window (messaging limit) ---------------------------------------

create table if not exists engine.unique_members (
  key text not null,
  member text not null,
  -- When the member was first reached in the current window (a repeat inside it does not move it).
  at timestamptz not null,
  primary key (key, member)
);
-- Pruning, counting and finding the oldest member of a key.
create index if not exists unique_members_key_at_idx on engine.unique_members (key, at);

-- 0 when p_member is admitted (or already counted within the window), else ms until the oldest
-- member leaves it. Callers racing on one key are serialised by a transaction-scoped advisory lock
-- on the key, so exactly p_limit of them are admitted (a row lock cannot do this: there is no row
-- to lock for "the count"). Expired members of the key are pruned on the way.
create or replace function engine.admit_unique(p_key text, p_member text, p_limit integer, p_window_ms double precision)
returns double precision
language plpgsql volatile set search_path = ''
as $$
declare
  v_now timestamptz;
  v_cutoff timestamptz;
  v_count integer;
  v_oldest timestamptz;
begin
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('engine.unique_members'), pg_catalog.hashtext(p_key));
  v_now := pg_catalog.clock_timestamp();
  v_cutoff := v_now - engine.ms(p_window_ms);
  if exists (select 1 from engine.unique_members m where m.key = p_key and m.member = p_member and m.at > v_cutoff) then
    return 0;
  end if;
  delete from engine.unique_members m where m.key = p_key and m.at <= v_cutoff;
  -- Counting stops at the limit: that is all the decision needs.
  select count(*) into v_count from (select 1 from engine.unique_members m where m.key = p_key limit greatest(p_limit, 0)) s;
  if v_count < p_limit then
    insert into engine.unique_members (key, member, at) values (p_key, p_member, v_now)
    on conflict (key, member) do update set at = excluded.at;
    return 0;
  end if;
  select min(m.at) into v_oldest from engine.unique_members m where m.key = p_key;
  return greatest(1, engine.wait_ms(v_oldest + engine.ms(p_window_ms), v_now));
end
$$;

create or replace function engine.unique_count(p_key text, p_window_ms double precision)
returns integer
language sql volatile set search_path = ''
as $$
  select count(*)::integer from engine.unique_members m
  where m.key = p_key and m.at > pg_catalog.clock_timestamp() - engine.ms(p_window_ms)
$$;

-- Circuit breakers -------------------------------------------------------------------------------

create table if not exists engine.breakers (
  key text primary key,
  phase text not null default 'closed' check (phase in ('closed', 'open', 'half_open')),
  -- Consecutive failures.
  failures integer not null default 0,
  -- open: when the first probe may go. half_open: when another probe may go if the prober vanished.
  retry_at timestamptz,
  check ((phase = 'closed') = (retry_at is null))
);

-- A key without a row is closed. Once retry_at passes, the one caller whose update wins the row
-- lock becomes the probe; the others re-read the row and are refused until the next retry_at.
create or replace function engine.breaker_acquire(p_key text, p_open_ms double precision,
                                                  out allowed boolean, out probe boolean, out retry_in_ms double precision)
language plpgsql volatile set search_path = ''
as $$
declare
  v_now timestamptz := pg_catalog.clock_timestamp();
  v_phase text;
  v_retry_at timestamptz;
begin
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  update engine.breakers b
  set phase = 'half_open', retry_at = v_now + engine.ms(p_open_ms)
  where b.key = p_key and b.phase <> 'closed' and b.retry_at <= v_now;
  if found then
    allowed := true; probe := true;
    return;
  end if;
  select b.phase, b.retry_at into v_phase, v_retry_at from engine.breakers b where b.key = p_key;
  if v_phase is null or v_phase = 'closed' then
    allowed := true; probe := false;
    return;
  end if;
  allowed := false; probe := false;
  retry_in_ms := greatest(1, engine.wait_ms(v_retry_at, pg_catalog.clock_timestamp()));
end
$$;

-- Closes the breaker. A success reported while it is open came from a call made before it opened;
-- it does not close it (the probe decides). Writes nothing when already closed with no failures.
create or replace function engine.breaker_success(p_key text)
returns void
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  update engine.breakers b
  set phase = 'closed', failures = 0, retry_at = null
  where b.key = p_key and (b.phase = 'half_open' or (b.phase = 'closed' and b.failures > 0))
$$;

-- Counts a failure. Closed: opens at the threshold. Half-open (the probe failed): opens again.
-- Open: only counts (a late failure does not push the probe back).
create or replace function engine.breaker_failure(p_key text, p_threshold integer, p_open_ms double precision)
returns table (phase text, failures integer, retry_at double precision)
language sql volatile set search_path = ''
as $$
  select pg_catalog.set_config('synchronous_commit', 'off', true);
  with up as (
    insert into engine.breakers as b (key, phase, failures, retry_at)
    values (p_key,
            case when 1 >= p_threshold then 'open' else 'closed' end,
            1,
            case when 1 >= p_threshold then pg_catalog.clock_timestamp() + engine.ms(p_open_ms) end)
    on conflict (key) do update
      set failures = b.failures + 1,
          phase = case when b.phase = 'half_open' or (b.phase = 'closed' and b.failures + 1 >= p_threshold) then 'open' else b.phase end,
          retry_at = case when b.phase = 'half_open' or (b.phase = 'closed' and b.failures + 1 >= p_threshold)
                          then pg_catalog.clock_timestamp() + engine.ms(p_open_ms)
                          else b.retry_at end
    returning b.phase, b.failures, b.retry_at
  )
  select up.phase, up.failures, case when up.phase = 'open' then engine.epoch_ms(up.retry_at) end from up
$$;

create or replace function engine.breaker_states(p_keys text[])
returns table (key text, phase text, failures integer, retry_at double precision)
language sql stable set search_path = ''
as $$
  select k.key, coalesce(b.phase, 'closed'), coalesce(b.failures, 0),
         case when b.phase = 'open' then engine.epoch_ms(b.retry_at) end
  from pg_catalog.unnest(p_keys) as k(key)
  left join engine.breakers b on b.key = k.key
$$;

-- Privileges ------------------------------------------------------------------------------------
-- Only the owner (the service connection) may touch any of this. RLS without policies is a second
-- lock: should a grant ever slip through, other roles still see and change no rows.

revoke all on all tables in schema engine from public, anon, authenticated, service_role;
revoke all on all sequences in schema engine from public, anon, authenticated, service_role;
revoke all on all functions in schema engine from public, anon, authenticated, service_role;

alter table engine.jobs enable row level security;
alter table engine.rate_states enable row level security;
alter table engine.pair_credits enable row level security;
alter table engine.unique_members enable row level security;
alter table engine.breakers enable row level security;
