-- Status webhooks can arrive before we know the wamid (Meta answers the send and posts "sent" in
-- parallel). Such statuses wait here and are applied when the message gets its wamid.
create table if not exists public.pending_statuses (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  wamid text not null,
  status text not null,
  "timestamp" timestamptz not null,
  errors jsonb not null default '[]' check (jsonb_typeof(errors) = 'array'),
  received_at timestamptz not null default now(),
  unique (wamid, status) -- Meta retries webhooks: the same status twice is one row
);
create index if not exists pending_statuses_tenant_idx on public.pending_statuses (tenant_id, received_at);

alter table public.pending_statuses enable row level security;
alter table public.pending_statuses force row level security;

drop policy if exists "members read their tenant's pending statuses" on public.pending_statuses;
create policy "members read their tenant's pending statuses" on public.pending_statuses
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- Written only by ingest (service connection).
grant select on public.pending_statuses to authenticated;
revoke insert, update, delete on public.pending_statuses from authenticated;
grant select, insert, update, delete on public.pending_statuses to service_role;
