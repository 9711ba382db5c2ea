-- Inbox list, filters and search at 100k conversations / 1M messages per tenant.
--
-- Search uses the built-in full-text machinery (tsvector + GIN), because trigram indexes need the
-- pg_trgm extension, which neither PGlite nor every Supabase project has enabled by default. The
-- 'simple' configuration only lower-cases (no stemming, no stop words): customers write in many
-- languages, and a stemmer for one would mangle the others. The app turns every typed word into a
-- prefix query ('entreg':*), so partial words match as people type them ("entreg" finds "entregam",
-- "mari" finds "Mariana"). The trade-off: a fragment from the middle of a word ("tregam") does not
-- match, and accents must be typed as written; in exchange a search over a million messages is an
-- index lookup instead of a sequential scan. Phone numbers are matched as digit substrings on the
-- contact (a few thousand short strings per tenant at most, which a scan handles quickly).

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

-- The one new index on messages. Lean on the write paths: a GIN index with fastupdate (the default)
-- takes inserts into a pending list that is merged in bulk, and status webhooks never change `type`
-- or `content`, so their updates stay HOT and never touch it. Messages without text (media without a
-- caption, reactions, notes) index as null and cost a single placeholder entry.
create index if not exists messages_search_idx on public.messages
  using gin (pg_catalog.to_tsvector('simple'::regconfig, public.message_search_text(type, content)));

-- Contact names for the same prefix search. The ingest upsert rewrites profile_name with the same
-- value on each inbound message, which leaves the indexed expression unchanged (the update stays HOT).
create index if not exists contacts_search_idx on public.contacts
  using gin (pg_catalog.to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || coalesce(profile_name, '')));

-- The default list order (last_message_at desc, id desc) walked backwards, with the (at, id) keyset
-- cursor as an index condition; filters on number, status or unread read along it until the page fills.
create index if not exists conversations_list_idx on public.conversations (tenant_id, last_message_at, id);

-- "Mine" and "unassigned" are the views agents live in; the id makes ties and the cursor exact.
create index if not exists conversations_assignee_list_idx on public.conversations (tenant_id, assignee_id, last_message_at, id);

-- A tag can be rare, so walking the list order until 30 rows carry it could read the whole tenant.
-- Tags change rarely; most conversations have none, which GIN stores as a single empty-item entry.
create index if not exists conversations_tags_idx on public.conversations using gin (tags);

-- Superseded by conversations_assignee_list_idx (same leading columns, plus the tie-breaker).
drop index if exists public.conversations_assignee_idx;

-- The dashboard counts today's messages. Rows arrive roughly in time order, so a BRIN index finds the
-- recent blocks with one tiny summary entry per 128 pages: next to nothing to maintain on ingest,
-- where a btree would add an entry per message.
create index if not exists messages_timestamp_brin_idx on public.messages using brin ("timestamp");
