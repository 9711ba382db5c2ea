-- Inbox list, filters and search at 100k conversations / 1M messages per tenant.
--
-- Search uses the built-in full-text machinery (tsvector + GIN), because trigram indexes need the
-- pg_trgm extension, which PGlite does not build in. The 'simple' configuration only lower-cases (no
-- stemming, no stop words): customers write in many languages, and a stemmer for one would mangle the
-- others. The app turns every typed word into a prefix query ('entreg':*), so partial words match as
-- people type them ("entreg" finds "entregam", "mari" finds "Mariana"). The trade-off: a fragment from
-- the middle of a word ("tregam") does not match, and accents must be typed as written; in exchange a
-- search over a million messages is an index lookup instead of a sequential scan.
--
-- Under RLS the planner may use an operator in an index condition only if it is LEAKPROOF (it could
-- otherwise see rows the policy hides before the policy runs). Equality and ordering on uuid, text and
-- timestamptz are leakproof, so the list's filters use btree indexes as the signed-in user; `@@` (text
-- search) and `@>` (array contains) are not, so the GIN lookups run in the security-definer functions
-- below, which check membership themselves and filter by the tenant explicitly.

-- The searchable text of a message: an inbound message's normalised text (body, caption, button
-- text…), or the body/caption of an outbound send object. Internal notes are never searched.
-- Immutable so it can be used in an index expression; written without a SET clause so the planner
-- inlines it and matches the query's expression to the index's.
create or replace function public.message_search_text(p_type text, p_content jsonb)
returns text
language sql immutable parallel safe
as $$
  select case
    when p_type = 'note' then null
    when pg_catalog.jsonb_typeof(p_content -> 'text') = 'string' then p_content ->> 'text'
    else coalesce(p_content -> 'text' ->> 'body', p_content -> p_type ->> 'caption', p_content -> 'interactive' -> 'body' ->> 'text')
  end
$$;

-- The one new index on messages for search. Lean on the write paths: a GIN index with fastupdate (the
-- default) takes inserts into a pending list that is merged in bulk, and status webhooks never change
-- `type` or `content`, so their updates stay HOT and never touch it. Messages without text (media
-- without a caption, reactions, notes) index as null and cost a single placeholder entry.
create index if not exists messages_search_idx on public.messages
  using gin (pg_catalog.to_tsvector('simple'::regconfig, public.message_search_text(type, content)));

-- Every tail of a phone number from three digits up ("5511987654321 511987654321 … 321"): a prefix
-- query on these tokens is a substring match on the number, so "98765" or "11 98765" finds
-- 5511987654321 through the index however much of the number is typed.
create or replace function public.phone_search_tokens(p_wa_id text)
returns text
language sql immutable parallel safe
as $$
  select pg_catalog.string_agg(pg_catalog.substr(p_wa_id, i), ' ')
  from pg_catalog.generate_series(1, pg_catalog.length(p_wa_id) - 2) as i
$$;

-- Contact names and phone tails for the same prefix search (about 14 entries a contact). The ingest
-- upsert rewrites profile_name with the same value on each inbound message, which leaves the indexed
-- expression unchanged (the update stays HOT).
create index if not exists contacts_search_idx on public.contacts
  using gin (pg_catalog.to_tsvector('simple'::regconfig,
    coalesce(name, '') || ' ' || coalesce(profile_name, '') || ' ' || coalesce(public.phone_search_tokens(wa_id), '')));

-- The default list order (last_message_at desc, id desc) walked backwards, with the (at, id) keyset
-- cursor as an index condition; filters on number, status or unread read along it until the page fills.
create index if not exists conversations_list_idx on public.conversations (tenant_id, last_message_at, id);

-- "Mine" and "unassigned" are the views agents live in; the id makes ties and the cursor exact.
create index if not exists conversations_assignee_list_idx on public.conversations (tenant_id, assignee_id, last_message_at, id);
-- Superseded by conversations_assignee_list_idx (same leading columns, plus the tie-breaker).
drop index if exists public.conversations_assignee_idx;

-- A tag can be rare, so walking the list order until a page of rows carries it could read the whole
-- tenant. Tags change rarely; most conversations have none, which GIN stores as one empty-item entry.
create index if not exists conversations_tags_idx on public.conversations using gin (tags);

-- The dashboard counts today's messages. Rows arrive roughly in time order, so a BRIN index finds the
-- recent blocks with one tiny summary entry per 128 pages: next to nothing to maintain on ingest,
-- where a btree would add an entry per message.
create index if not exists messages_timestamp_brin_idx on public.messages using brin ("timestamp");

-- Search functions ------------------------------------------------------------------------------
-- Each answers nothing unless the caller is a member of p_tenant, and reads only p_tenant's rows.

-- Conversations of p_tenant carrying p_tag, at most p_cap of them: a rare tag's few conversations are
-- looked up here and sorted; a common tag is filtered while walking the list (see list-conversations.ts).
create or replace function private.conversations_tagged(p_tenant uuid, p_tag text, p_cap integer)
returns table (id uuid)
language sql stable security definer set search_path = ''
rows 100
as $$
  select c.id from public.conversations c
  where (select private.is_member(p_tenant)) and c.tenant_id = p_tenant and c.tags @> array[p_tag]
  limit p_cap
$$;

-- Every conversation of p_tenant that matches: by contact name (p_query), by phone digits anywhere in
-- the contact's number (p_phone_digits), or by message text (p_query), with its newest matching
-- message. A null argument matches nothing.
create or replace function private.search_conversations(p_tenant uuid, p_query text, p_phone_digits text)
returns table (conversation_id uuid, message_id uuid)
language sql stable security definer
-- An inbox search is one of many small interactive queries: starting parallel workers costs more
-- than it saves.
set search_path = '' set max_parallel_workers_per_gather = 0
rows 100
as $$
  with member as (select private.is_member(p_tenant) as ok),
  contact_hits as (
    select ct.id from public.contacts ct
    where (select ok from member) and ct.tenant_id = p_tenant
      and pg_catalog.to_tsvector('simple'::regconfig,
            coalesce(ct.name, '') || ' ' || coalesce(ct.profile_name, '') || ' ' || coalesce(public.phone_search_tokens(ct.wa_id), ''))
          @@ (coalesce(pg_catalog.to_tsquery('simple'::regconfig, p_query), ''::tsquery)
              || coalesce(pg_catalog.to_tsquery('simple'::regconfig, p_phone_digits || ':*'), ''::tsquery))
  ),
  -- OFFSET 0 keeps this a per-contact index lookup: a few thousand of those beat hashing every
  -- conversation of the tenant.
  contact_conversations as (
    select c.id from contact_hits h
    cross join lateral (select c.id from public.conversations c where c.tenant_id = p_tenant and c.contact_id = h.id offset 0) c
  ),
  message_hits as (
    select distinct on (m.conversation_id) m.conversation_id, m.id
    from public.messages m
    where (select ok from member) and m.tenant_id = p_tenant
      and pg_catalog.to_tsvector('simple'::regconfig, public.message_search_text(m.type, m.content))
          @@ pg_catalog.to_tsquery('simple'::regconfig, p_query)
    order by m.conversation_id, m."timestamp" desc, m.id desc
  )
  select coalesce(cc.id, mh.conversation_id), mh.id
  from contact_conversations cc
  full join message_hits mh on mh.conversation_id = cc.id
$$;

revoke all on function private.conversations_tagged(uuid, text, integer) from public;
revoke all on function private.search_conversations(uuid, text, text) from public;
grant execute on function
  private.conversations_tagged(uuid, text, integer),
  private.search_conversations(uuid, text, text)
to authenticated, service_role;
