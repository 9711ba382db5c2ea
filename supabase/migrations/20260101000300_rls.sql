-- Row level security: the one source of tenant isolation (the app runs every request as
-- `authenticated` with the verified JWT claims set). FORCE makes the rules apply to the table owner
-- too; superusers and BYPASSRLS roles (service_role, Supabase's postgres) still bypass them.
-- Membership checks are `tenant_id in (select private.tenant_ids())`, evaluated once per statement;
-- row-dependent checks (can_grant_role on the row's role) are wrapped in (select …) as Supabase advises.
-- Policies are re-created (drop if exists) so the file can be re-applied.

alter table public.tenants enable row level security;
alter table public.tenants force row level security;
alter table public.memberships enable row level security;
alter table public.memberships force row level security;
alter table public.invitations enable row level security;
alter table public.invitations force row level security;
alter table public.profiles enable row level security;
alter table public.profiles force row level security;
alter table public.whatsapp_business_accounts enable row level security;
alter table public.whatsapp_business_accounts force row level security;
alter table public.whatsapp_numbers enable row level security;
alter table public.whatsapp_numbers force row level security;
alter table public.contacts enable row level security;
alter table public.contacts force row level security;
alter table public.conversations enable row level security;
alter table public.conversations force row level security;
alter table public.messages enable row level security;
alter table public.messages force row level security;
alter table public.media enable row level security;
alter table public.media force row level security;
alter table public.templates enable row level security;
alter table public.templates force row level security;
alter table public.campaigns enable row level security;
alter table public.campaigns force row level security;
alter table public.campaign_recipients enable row level security;
alter table public.campaign_recipients force row level security;
alter table public.scheduled_messages enable row level security;
alter table public.scheduled_messages force row level security;
alter table public.webhook_events enable row level security;
alter table public.webhook_events force row level security;
alter table public.outbound_webhooks enable row level security;
alter table public.outbound_webhooks force row level security;
alter table public.webhook_deliveries enable row level security;
alter table public.webhook_deliveries force row level security;
alter table public.automations enable row level security;
alter table public.automations force row level security;
alter table public.api_keys enable row level security;
alter table public.api_keys force row level security;
alter table public.audit_log enable row level security;
alter table public.audit_log force row level security;

-- Tenants: created only through public.create_tenant(); never deleted by users.
drop policy if exists "members read their tenants" on public.tenants;
create policy "members read their tenants" on public.tenants
  for select to authenticated
  using (id in (select private.tenant_ids()));
drop policy if exists "platform admins read all tenants" on public.tenants;
create policy "platform admins read all tenants" on public.tenants
  for select to authenticated
  using ((select private.is_platform_admin()));
drop policy if exists "owners and admins update their tenant" on public.tenants;
create policy "owners and admins update their tenant" on public.tenants
  for update to authenticated
  using (id in (select private.tenant_ids_with_role('{owner,admin}')))
  with check (id in (select private.tenant_ids_with_role('{owner,admin}')));

-- Memberships: can_grant_role on the old row (USING) stops an admin touching an owner's
-- membership; on the new row (WITH CHECK) it stops granting a role above one's own.
drop policy if exists "members read their tenant's memberships" on public.memberships;
create policy "members read their tenant's memberships" on public.memberships
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "owners and admins add members with roles they may grant" on public.memberships;
create policy "owners and admins add members with roles they may grant" on public.memberships
  for insert to authenticated
  with check ((select private.can_grant_role(tenant_id, role)));
drop policy if exists "owners and admins change roles they may grant" on public.memberships;
create policy "owners and admins change roles they may grant" on public.memberships
  for update to authenticated
  using ((select private.can_grant_role(tenant_id, role)))
  with check ((select private.can_grant_role(tenant_id, role)));
drop policy if exists "owners and admins remove members they may manage" on public.memberships;
create policy "owners and admins remove members they may manage" on public.memberships
  for delete to authenticated
  using ((select private.can_grant_role(tenant_id, role)));
drop policy if exists "members leave their tenant" on public.memberships;
create policy "members leave their tenant" on public.memberships
  for delete to authenticated
  using (user_id = (select auth.uid()));

-- Invitations: accepted through public.accept_invitation(), which is why invitees need no policy.
drop policy if exists "members read their tenant's invitations" on public.invitations;
create policy "members read their tenant's invitations" on public.invitations
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "owners and admins invite with roles they may grant" on public.invitations;
create policy "owners and admins invite with roles they may grant" on public.invitations
  for insert to authenticated
  with check ((select private.can_grant_role(tenant_id, role)) and invited_by = (select auth.uid()));
drop policy if exists "owners and admins change invitations they may grant" on public.invitations;
create policy "owners and admins change invitations they may grant" on public.invitations
  for update to authenticated
  using ((select private.can_grant_role(tenant_id, role)))
  with check ((select private.can_grant_role(tenant_id, role)));
drop policy if exists "owners and admins revoke invitations they may grant" on public.invitations;
create policy "owners and admins revoke invitations they may grant" on public.invitations
  for delete to authenticated
  using ((select private.can_grant_role(tenant_id, role)));

-- Profiles: visible to people who share a tenant; each user writes only their own.
drop policy if exists "users read their own and their teammates' profiles" on public.profiles;
create policy "users read their own and their teammates' profiles" on public.profiles
  for select to authenticated
  using (id = (select auth.uid()) or id in (select private.co_member_ids()));
drop policy if exists "users create their own profile" on public.profiles;
create policy "users create their own profile" on public.profiles
  for insert to authenticated
  with check (id = (select auth.uid()));
drop policy if exists "users update their own profile" on public.profiles;
create policy "users update their own profile" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- Settings: members read, owners and admins write.
drop policy if exists "members read their tenant's WhatsApp business accounts" on public.whatsapp_business_accounts;
create policy "members read their tenant's WhatsApp business accounts" on public.whatsapp_business_accounts
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "owners and admins add WhatsApp business accounts" on public.whatsapp_business_accounts;
create policy "owners and admins add WhatsApp business accounts" on public.whatsapp_business_accounts
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')));
drop policy if exists "owners and admins update WhatsApp business accounts" on public.whatsapp_business_accounts;
create policy "owners and admins update WhatsApp business accounts" on public.whatsapp_business_accounts
  for update to authenticated
  using (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')))
  with check (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')));
drop policy if exists "owners and admins delete WhatsApp business accounts" on public.whatsapp_business_accounts;
create policy "owners and admins delete WhatsApp business accounts" on public.whatsapp_business_accounts
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')));
drop policy if exists "members read their tenant's WhatsApp numbers" on public.whatsapp_numbers;
create policy "members read their tenant's WhatsApp numbers" on public.whatsapp_numbers
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "owners and admins add WhatsApp numbers" on public.whatsapp_numbers;
create policy "owners and admins add WhatsApp numbers" on public.whatsapp_numbers
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')));
drop policy if exists "owners and admins update WhatsApp numbers" on public.whatsapp_numbers;
create policy "owners and admins update WhatsApp numbers" on public.whatsapp_numbers
  for update to authenticated
  using (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')))
  with check (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')));
drop policy if exists "owners and admins delete WhatsApp numbers" on public.whatsapp_numbers;
create policy "owners and admins delete WhatsApp numbers" on public.whatsapp_numbers
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')));
drop policy if exists "members read their tenant's outbound webhooks" on public.outbound_webhooks;
create policy "members read their tenant's outbound webhooks" on public.outbound_webhooks
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "owners and admins add outbound webhooks" on public.outbound_webhooks;
create policy "owners and admins add outbound webhooks" on public.outbound_webhooks
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')));
drop policy if exists "owners and admins update outbound webhooks" on public.outbound_webhooks;
create policy "owners and admins update outbound webhooks" on public.outbound_webhooks
  for update to authenticated
  using (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')))
  with check (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')));
drop policy if exists "owners and admins delete outbound webhooks" on public.outbound_webhooks;
create policy "owners and admins delete outbound webhooks" on public.outbound_webhooks
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')));

-- Working data: any member of the tenant reads and writes it.

-- contacts
drop policy if exists "members read their tenant's contacts" on public.contacts;
create policy "members read their tenant's contacts" on public.contacts
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members add contacts to their tenant" on public.contacts;
create policy "members add contacts to their tenant" on public.contacts
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members update their tenant's contacts" on public.contacts;
create policy "members update their tenant's contacts" on public.contacts
  for update to authenticated
  using (tenant_id in (select private.tenant_ids()))
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members delete their tenant's contacts" on public.contacts;
create policy "members delete their tenant's contacts" on public.contacts
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- conversations
drop policy if exists "members read their tenant's conversations" on public.conversations;
create policy "members read their tenant's conversations" on public.conversations
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members add conversations to their tenant" on public.conversations;
create policy "members add conversations to their tenant" on public.conversations
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members update their tenant's conversations" on public.conversations;
create policy "members update their tenant's conversations" on public.conversations
  for update to authenticated
  using (tenant_id in (select private.tenant_ids()))
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members delete their tenant's conversations" on public.conversations;
create policy "members delete their tenant's conversations" on public.conversations
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- messages
drop policy if exists "members read their tenant's messages" on public.messages;
create policy "members read their tenant's messages" on public.messages
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members add messages to their tenant" on public.messages;
create policy "members add messages to their tenant" on public.messages
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members update their tenant's messages" on public.messages;
create policy "members update their tenant's messages" on public.messages
  for update to authenticated
  using (tenant_id in (select private.tenant_ids()))
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members delete their tenant's messages" on public.messages;
create policy "members delete their tenant's messages" on public.messages
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- media
drop policy if exists "members read their tenant's media" on public.media;
create policy "members read their tenant's media" on public.media
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members add media to their tenant" on public.media;
create policy "members add media to their tenant" on public.media
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members update their tenant's media" on public.media;
create policy "members update their tenant's media" on public.media
  for update to authenticated
  using (tenant_id in (select private.tenant_ids()))
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members delete their tenant's media" on public.media;
create policy "members delete their tenant's media" on public.media
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- templates
drop policy if exists "members read their tenant's templates" on public.templates;
create policy "members read their tenant's templates" on public.templates
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members add templates to their tenant" on public.templates;
create policy "members add templates to their tenant" on public.templates
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members update their tenant's templates" on public.templates;
create policy "members update their tenant's templates" on public.templates
  for update to authenticated
  using (tenant_id in (select private.tenant_ids()))
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members delete their tenant's templates" on public.templates;
create policy "members delete their tenant's templates" on public.templates
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- campaigns
drop policy if exists "members read their tenant's campaigns" on public.campaigns;
create policy "members read their tenant's campaigns" on public.campaigns
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members add campaigns to their tenant" on public.campaigns;
create policy "members add campaigns to their tenant" on public.campaigns
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members update their tenant's campaigns" on public.campaigns;
create policy "members update their tenant's campaigns" on public.campaigns
  for update to authenticated
  using (tenant_id in (select private.tenant_ids()))
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members delete their tenant's campaigns" on public.campaigns;
create policy "members delete their tenant's campaigns" on public.campaigns
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- campaign_recipients
drop policy if exists "members read their tenant's campaign recipients" on public.campaign_recipients;
create policy "members read their tenant's campaign recipients" on public.campaign_recipients
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members add campaign recipients to their tenant" on public.campaign_recipients;
create policy "members add campaign recipients to their tenant" on public.campaign_recipients
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members update their tenant's campaign recipients" on public.campaign_recipients;
create policy "members update their tenant's campaign recipients" on public.campaign_recipients
  for update to authenticated
  using (tenant_id in (select private.tenant_ids()))
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members delete their tenant's campaign recipients" on public.campaign_recipients;
create policy "members delete their tenant's campaign recipients" on public.campaign_recipients
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- scheduled_messages
drop policy if exists "members read their tenant's scheduled messages" on public.scheduled_messages;
create policy "members read their tenant's scheduled messages" on public.scheduled_messages
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members add scheduled messages to their tenant" on public.scheduled_messages;
create policy "members add scheduled messages to their tenant" on public.scheduled_messages
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members update their tenant's scheduled messages" on public.scheduled_messages;
create policy "members update their tenant's scheduled messages" on public.scheduled_messages
  for update to authenticated
  using (tenant_id in (select private.tenant_ids()))
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members delete their tenant's scheduled messages" on public.scheduled_messages;
create policy "members delete their tenant's scheduled messages" on public.scheduled_messages
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- automations
drop policy if exists "members read their tenant's automations" on public.automations;
create policy "members read their tenant's automations" on public.automations
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members add automations to their tenant" on public.automations;
create policy "members add automations to their tenant" on public.automations
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members update their tenant's automations" on public.automations;
create policy "members update their tenant's automations" on public.automations
  for update to authenticated
  using (tenant_id in (select private.tenant_ids()))
  with check (tenant_id in (select private.tenant_ids()));
drop policy if exists "members delete their tenant's automations" on public.automations;
create policy "members delete their tenant's automations" on public.automations
  for delete to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- API keys: a key can't carry a role its creator couldn't grant to a person.
drop policy if exists "members read their tenant's api keys" on public.api_keys;
create policy "members read their tenant's api keys" on public.api_keys
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "owners and admins create api keys with roles they may grant" on public.api_keys;
create policy "owners and admins create api keys with roles they may grant" on public.api_keys
  for insert to authenticated
  with check ((select private.can_grant_role(tenant_id, role)) and created_by = (select auth.uid()));
drop policy if exists "owners and admins update api keys they may grant" on public.api_keys;
create policy "owners and admins update api keys they may grant" on public.api_keys
  for update to authenticated
  using ((select private.can_grant_role(tenant_id, role)))
  with check ((select private.can_grant_role(tenant_id, role)));
drop policy if exists "owners and admins delete api keys they may grant" on public.api_keys;
create policy "owners and admins delete api keys they may grant" on public.api_keys
  for delete to authenticated
  using ((select private.can_grant_role(tenant_id, role)));

-- Written only by the service connection (worker, webhook ingest); members can inspect them.
drop policy if exists "members read their tenant's webhook deliveries" on public.webhook_deliveries;
create policy "members read their tenant's webhook deliveries" on public.webhook_deliveries
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));
drop policy if exists "members read their tenant's webhook events" on public.webhook_events;
create policy "members read their tenant's webhook events" on public.webhook_events
  for select to authenticated
  using (tenant_id in (select private.tenant_ids()));

-- Audit log: append-only; users may only record their own actions.
drop policy if exists "owners and admins read their tenant's audit log" on public.audit_log;
create policy "owners and admins read their tenant's audit log" on public.audit_log
  for select to authenticated
  using (tenant_id in (select private.tenant_ids_with_role('{owner,admin}')));
drop policy if exists "members record their own actions in the audit log" on public.audit_log;
create policy "members record their own actions in the audit log" on public.audit_log
  for insert to authenticated
  with check (tenant_id in (select private.tenant_ids()) and actor_id = (select auth.uid()));

-- Grants ---------------------------------------------------------------------------------------
-- RLS decides rows; grants decide tables and columns. anon gets nothing (Supabase's default
-- privileges would otherwise grant it every new public table).
grant select, insert, update, delete on all tables in schema public to authenticated, service_role;
grant usage, select on all sequences in schema public to authenticated, service_role;
revoke all on all tables in schema public from anon;
revoke all on all sequences in schema public from anon;

-- Column grants keep billing/platform fields (plan, status) and identity fields (tenant_id,
-- user_id, token_hash, key_hash) out of reach of owners and admins. Revoking the table-level
-- privilege first also clears column grants, so this block is re-runnable.
revoke insert, update, delete on public.tenants from authenticated;
grant update (name, slug, timezone, settings) on public.tenants to authenticated;
revoke update on public.memberships from authenticated;
grant update (role) on public.memberships to authenticated;
revoke update on public.invitations from authenticated;
grant update (role, expires_at) on public.invitations to authenticated;
revoke update on public.api_keys from authenticated;
grant update (name, role, expires_at, revoked_at) on public.api_keys to authenticated;
revoke update, delete on public.audit_log from authenticated;
revoke insert, update, delete on public.webhook_events, public.webhook_deliveries from authenticated;
