-- A customer's first message takes its credit in the insert that creates the bucket: one row write
-- instead of an insert and then an update. During a campaign nearly every send is a customer's first,
-- so this is a third of the pair-rate bookkeeping (the retiring delete stays). Otherwise as before:
-- takes one credit and answers 0, or answers ms until one accrues and changes nothing.
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
    v_now := pg_catalog.clock_timestamp();
    -- A new key starts with a full burst, less the credit this call takes.
    insert into engine.pair_credits (key, credit, at, full_at)
    values (p_key, v_burst - 1, v_now, v_now + engine.ms(p_interval_ms))
    on conflict (key) do nothing;
    if found then
      -- Each new key retires up to two keys whose buckets refilled: the table keeps only recent pairs.
      delete from engine.pair_credits c
      where c.key in (
        select o.key from engine.pair_credits o
        where o.full_at < pg_catalog.clock_timestamp() and o.key <> p_key
        order by o.full_at
        limit 2
        for update skip locked);
      return 0;
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
