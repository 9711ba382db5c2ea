-- try_take_many took each key through try_take: a function call per key, and for every new key an index
-- scan for two refilled keys to retire. On a table whose deleted rows linger until vacuum, each of those
-- scans walked past the dead entries of all earlier retirements: during a 10,000-message campaign the
-- retiring deletes alone took 5 s of database time (0.5 ms a message), half of what PostgreSQL spent.
-- Now the keys seen for the first time in a while (nearly every send of a campaign) take their first
-- credit in one insert, and one scan retires two refilled keys per new one. Keys already known take
-- from their buckets as before. Both passes go through the keys sorted (a repeated key in its order of
-- arrival), so two callers with the same keys in other orders never wait on each other in a cycle.
create or replace function engine.try_take_many(p_keys text[], p_interval_ms double precision, p_burst double precision)
returns double precision[]
language plpgsql volatile set search_path = ''
as $$
declare
  v_now timestamptz := pg_catalog.clock_timestamp();
  v_new text[];
  v_waits double precision[] := pg_catalog.array_fill(0::double precision, array[pg_catalog.cardinality(p_keys)]);
  v_key text;
  v_at bigint;
begin
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  with added as (
    insert into engine.pair_credits (key, credit, at, full_at)
    select k.key, greatest(p_burst, 1) - 1, v_now, v_now + engine.ms(p_interval_ms)
    from (select distinct u.key from pg_catalog.unnest(p_keys) as u(key) order by u.key) as k
    on conflict (key) do nothing
    returning key)
  select coalesce(pg_catalog.array_agg(added.key), '{}') into v_new from added;

  if pg_catalog.cardinality(v_new) > 0 then
    delete from engine.pair_credits c
    where c.key in (
      select o.key from engine.pair_credits o
      where o.full_at < v_now and o.key <> all (p_keys)
      order by o.full_at
      limit 2 * pg_catalog.cardinality(v_new)
      for update skip locked);
  end if;

  for v_key, v_at in select u.key, u.at from pg_catalog.unnest(p_keys) with ordinality as u(key, at) order by u.key, u.at loop
    if v_key = any (v_new) then
      -- Its first credit went with the insert (its wait stays 0); a repeat takes from the bucket.
      v_new := pg_catalog.array_remove(v_new, v_key);
    else
      v_waits[v_at] := engine.try_take(v_key, p_interval_ms, p_burst);
    end if;
  end loop;
  return v_waits;
end
$$;
