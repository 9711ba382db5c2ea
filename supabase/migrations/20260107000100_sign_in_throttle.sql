-- Failed sign-in budgets for the Postgres adapter of the SignInThrottle port
-- (src/core/auth/sign-in-throttle.ts; Upstash Redis is the other adapter). One row per key: an
-- account+address pair or an address. The rows hold hashes of emails, client addresses and counters,
-- no tenant data, so there is no tenant_id: RLS is enabled and forced with no policy at all, and the
-- API roles are granted nothing, so only the service connection (the owner) reads or writes it.
--
-- Each adapter call is one function call: one statement, one round trip, at most two rows written.
-- Times come from the database clock. The rules match @upstash/ratelimit's token bucket with a whole
-- refill per window, plus the lock-out the Upstash adapter keeps beside it:
-- - a budget holds `limit` failures and is full again one window after its last refill;
-- - an attempt finding a budget spent locks that key out for its window × 2^(earlier lock-outs still
--   remembered), capped; while locked out nothing is consumed.

create table if not exists public.sign_in_throttle (
  key text primary key,
  -- Failures still allowed, as of `refilled_at`.
  tokens integer not null,
  refilled_at timestamptz not null,
  locked_until timestamptz,
  -- Lock-outs so far; forgotten after strikes_until.
  strikes integer not null default 0,
  strikes_until timestamptz,
  -- From then on the row says nothing a missing row would not (full, unlocked, no strikes).
  stale_at timestamptz not null
);

create index if not exists sign_in_throttle_stale_at_idx on public.sign_in_throttle (stale_at);

alter table public.sign_in_throttle enable row level security;
alter table public.sign_in_throttle force row level security;
revoke all on public.sign_in_throttle from public, anon, authenticated, service_role;

-- Answers 0 when the attempt may go ahead (one failure reserved on every key), else the ms to wait
-- (nothing consumed). Keys, limits and windows are parallel arrays, one entry per budget.
create or replace function private.sign_in_reserve(
  p_keys text[], p_limits integer[], p_windows_ms double precision[],
  p_max_lockout_ms double precision, p_strike_memory_ms double precision)
returns double precision
language plpgsql volatile set search_path = ''
as $$
declare
  v_n integer := pg_catalog.cardinality(p_keys);
  v_now timestamptz;
  v_row public.sign_in_throttle;
  v_tokens integer[] := '{}';
  v_refilled timestamptz[] := '{}';
  v_wait double precision := 0;
  v_lock double precision;
  v_strikes integer;
  v_inserted integer;
  v_present integer;
  i integer;
begin
  -- Losing the last fraction of a second of counts in a database crash is acceptable here.
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  loop
    -- New keys start full. Rows are created and then locked in key order, so two attempts that share
    -- an address queue on it instead of deadlocking.
    insert into public.sign_in_throttle (key, tokens, refilled_at, stale_at)
    select u.key, u.lim, pg_catalog.clock_timestamp(), pg_catalog.clock_timestamp()
    from unnest(p_keys, p_limits) as u(key, lim)
    order by u.key
    on conflict (key) do nothing;
    get diagnostics v_inserted = row_count;
    if v_inserted > 0 then
      -- Each new key retires up to two stale ones: the table keeps to recent attempts without a sweeper.
      delete from public.sign_in_throttle t
      where t.key in (
        select o.key from public.sign_in_throttle o
        where o.stale_at < pg_catalog.clock_timestamp() and o.key <> all (p_keys)
        order by o.stale_at
        limit 2
        for update skip locked);
    end if;
    select pg_catalog.count(*) into v_present
    from (select t.key from public.sign_in_throttle t where t.key = any (p_keys) order by t.key for update) locked;
    -- Fewer: another attempt retired a stale row of ours in between; create it afresh.
    exit when v_present = v_n;
  end loop;

  v_now := pg_catalog.clock_timestamp();
  for i in 1 .. v_n loop
    select * into v_row from public.sign_in_throttle t where t.key = p_keys[i];
    v_tokens[i] := v_row.tokens;
    v_refilled[i] := v_row.refilled_at;
    if v_now >= v_row.refilled_at + p_windows_ms[i] * interval '1 millisecond' then
      v_tokens[i] := p_limits[i];
      v_refilled[i] := v_row.refilled_at + pg_catalog.floor(
        pg_catalog.date_part('epoch', v_now - v_row.refilled_at) * 1000 / p_windows_ms[i]) * p_windows_ms[i] * interval '1 millisecond';
    end if;
    if v_row.locked_until > v_now then
      v_wait := greatest(v_wait, pg_catalog.ceil(pg_catalog.date_part('epoch', v_row.locked_until - v_now) * 1000));
    end if;
  end loop;
  if v_wait > 0 then
    return v_wait;
  end if;

  for i in 1 .. v_n loop
    if v_tokens[i] < 1 then
      select * into v_row from public.sign_in_throttle t where t.key = p_keys[i];
      v_strikes := (case when v_row.strikes_until > v_now then v_row.strikes else 0 end) + 1;
      v_lock := least(p_windows_ms[i] * pg_catalog.power(2::double precision, v_strikes - 1), p_max_lockout_ms);
      update public.sign_in_throttle t
      set tokens = v_tokens[i], refilled_at = v_refilled[i], strikes = v_strikes,
          locked_until = v_now + v_lock * interval '1 millisecond',
          strikes_until = v_now + (v_lock + p_strike_memory_ms) * interval '1 millisecond',
          stale_at = v_now + (v_lock + p_strike_memory_ms) * interval '1 millisecond'
      where t.key = p_keys[i];
      v_wait := greatest(v_wait, pg_catalog.ceil(v_lock));
    end if;
  end loop;
  if v_wait > 0 then
    return v_wait;
  end if;

  update public.sign_in_throttle t
  set tokens = u.tokens - 1, refilled_at = u.refilled_at,
      stale_at = greatest(u.refilled_at + u.window_ms * interval '1 millisecond', t.locked_until, t.strikes_until)
  from unnest(p_keys, v_tokens, v_refilled, p_windows_ms) as u(key, tokens, refilled_at, window_ms)
  where t.key = u.key;
  return 0;
end
$$;

-- The reserved attempt succeeded: one failure back on every key (never above the limit), and the
-- lock-outs of `p_forget` (the account+address key) forgotten.
create or replace function private.sign_in_refund(p_keys text[], p_limits integer[], p_forget text)
returns void
language plpgsql volatile set search_path = ''
as $$
begin
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  -- Same lock order as sign_in_reserve.
  perform 1 from public.sign_in_throttle t where t.key = any (p_keys) order by t.key for update;
  update public.sign_in_throttle t
  set tokens = least(u.lim, t.tokens + 1),
      strikes = case when t.key = p_forget then 0 else t.strikes end,
      strikes_until = case when t.key = p_forget then null else t.strikes_until end
  from unnest(p_keys, p_limits) as u(key, lim)
  where t.key = u.key;
end
$$;

revoke all on function private.sign_in_reserve(text[], integer[], double precision[], double precision, double precision) from public, anon, authenticated, service_role;
revoke all on function private.sign_in_refund(text[], integer[], text) from public, anon, authenticated, service_role;
