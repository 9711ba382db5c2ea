-- Conversa schema v1: every product table. Tenant-owned rows carry tenant_id, and references between
-- tenant-owned rows are composite (tenant_id, x_id) foreign keys so a row can never point at another
-- tenant's row (RLS checks only the row's own tenant_id, FK checks bypass RLS).
-- Statuses are text + CHECK (easy to extend with a new migration); roles use public.member_role.

-- Invitations, profiles ---------------------------------------------------------------------

create table if not exists public.invitations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  -- Stored lower-cased so lookups and the accept check compare exactly.
  email text not null check (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+$'),
  role public.member_role not null default 'agent',
  -- sha256 hex of the emailed token; the token itself is never stored.
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  invited_by uuid default auth.uid() references auth.users (id) on delete set null,
  expires_at timestamptz not null default now() + interval '7 days',
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index if not exists invitations_tenant_idx on public.invitations (tenant_id, created_at desc);
create index if not exists invitations_email_idx on public.invitations (email) where accepted_at is null;

create table if not exists public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text,
  full_name text,
  avatar_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- WhatsApp accounts and numbers ---------------------------------------------------------------

create table if not exists public.whatsapp_business_accounts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  waba_id text not null unique, -- globally unique: webhooks are routed by it
  name text,
  -- Meta sets the limit per business portfolio; every number of the account shares it.
  messaging_limit_tier text not null default 'TIER_250'
    check (messaging_limit_tier in ('TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED')),
  business_id text, -- Meta business portfolio id
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id)
);

create table if not exists public.whatsapp_numbers (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  account_id uuid not null,
  phone_number_id text not null unique, -- globally unique: inbound webhooks resolve the tenant by it
  display_phone_number text,
  verified_name text,
  access_token_ciphertext text not null, -- AES-256-GCM sealed by the app; never plaintext
  throughput_mps integer not null default 80 check (throughput_mps between 1 and 1000),
  quality_rating text not null default 'UNKNOWN' check (quality_rating in ('GREEN', 'YELLOW', 'RED', 'UNKNOWN')),
  status text not null default 'pending'
    check (status in ('pending', 'connected', 'disconnected', 'needs_attention', 'flagged', 'restricted', 'banned')),
  is_shared_with_business_app boolean not null default false, -- coexistence with the WhatsApp Business app
  last_error jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, account_id) references public.whatsapp_business_accounts (tenant_id, id) on delete cascade
);
create index if not exists whatsapp_numbers_account_idx on public.whatsapp_numbers (tenant_id, account_id);

-- CRM -----------------------------------------------------------------------------------------

create table if not exists public.contacts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  -- wa_id: digits only so "+1555…" and "1555…" can't become two contacts. It may be absent for
  -- username users, who are known only by Meta's business-scoped user id (BSUID) — keep both.
  wa_id text check (wa_id ~ '^[0-9]{5,20}$'),
  user_id text,
  name text,
  profile_name text, -- as the customer set it on WhatsApp (from webhooks)
  email text,
  tags text[] not null default '{}',
  custom_fields jsonb not null default '{}' check (jsonb_typeof(custom_fields) = 'object'),
  notes text,
  opted_out_at timestamptz, -- opted out of all business-initiated messages
  opt_out_reason text,
  marketing_opted_out_at timestamptz, -- opted out of marketing only
  blocked boolean not null default false,
  last_inbound_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, wa_id),
  unique (tenant_id, id),
  check (wa_id is not null or user_id is not null)
);
-- Not unique: a number change (system "user_changed_number") can briefly leave two rows sharing a BSUID.
create index if not exists contacts_user_id_idx on public.contacts (tenant_id, user_id) where user_id is not null;
create index if not exists contacts_name_idx on public.contacts (tenant_id, lower(name));
create index if not exists contacts_tags_idx on public.contacts using gin (tags);

-- Templates and campaigns (before messages, which reference campaigns) --------------------------

create table if not exists public.templates (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  account_id uuid not null,
  meta_template_id text,
  name text not null,
  language text not null,
  category text not null check (category in ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
  status text not null default 'PENDING'
    check (status in ('APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL',
                      'PENDING_DELETION', 'DELETED', 'LIMIT_EXCEEDED', 'ARCHIVED')),
  components jsonb not null default '[]' check (jsonb_typeof(components) = 'array'),
  quality_score text, -- Meta's GREEN | YELLOW | RED | UNKNOWN
  rejected_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (account_id, name, language),
  unique (tenant_id, id),
  foreign key (tenant_id, account_id) references public.whatsapp_business_accounts (tenant_id, id) on delete cascade
);
create index if not exists templates_tenant_idx on public.templates (tenant_id, name);
create index if not exists templates_meta_id_idx on public.templates (meta_template_id) where meta_template_id is not null;

create table if not exists public.campaigns (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  -- Nullable while a draft is being composed; the app requires both before scheduling.
  number_id uuid,
  template_id uuid,
  name text not null,
  status text not null default 'draft'
    check (status in ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled', 'failed')),
  variable_mapping jsonb not null default '{}',
  audience jsonb not null default '{}',
  scheduled_at timestamptz,
  quiet_hours jsonb,
  started_at timestamptz,
  completed_at timestamptz,
  paused_reason text,
  total integer not null default 0 check (total >= 0),
  queued integer not null default 0 check (queued >= 0),
  sent integer not null default 0 check (sent >= 0),
  delivered integer not null default 0 check (delivered >= 0),
  read integer not null default 0 check (read >= 0),
  replied integer not null default 0 check (replied >= 0),
  failed integer not null default 0 check (failed >= 0),
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  -- A number with history can't be deleted (mark it disconnected); tenant deletion still cascades.
  foreign key (tenant_id, number_id) references public.whatsapp_numbers (tenant_id, id),
  foreign key (tenant_id, template_id) references public.templates (tenant_id, id) on delete set null (template_id)
);
create index if not exists campaigns_tenant_idx on public.campaigns (tenant_id, created_at desc);
create index if not exists campaigns_due_idx on public.campaigns (scheduled_at) where status = 'scheduled';
create index if not exists campaigns_number_idx on public.campaigns (tenant_id, number_id);
create index if not exists campaigns_template_idx on public.campaigns (tenant_id, template_id);

-- Inbox -----------------------------------------------------------------------------------------

create table if not exists public.conversations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  number_id uuid not null,
  contact_id uuid not null,
  status text not null default 'open' check (status in ('open', 'pending', 'resolved', 'closed')),
  -- References the membership, not just the user: only members can be assigned, and removing
  -- a member unassigns their conversations.
  assignee_id uuid,
  unread_count integer not null default 0 check (unread_count >= 0),
  last_message_at timestamptz not null default now(),
  last_message_preview text,
  last_inbound_at timestamptz,
  service_window_expires_at timestamptz, -- last_inbound_at + 24h: free-form replies allowed until then
  tags text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, number_id, contact_id),
  unique (tenant_id, id),
  foreign key (tenant_id, number_id) references public.whatsapp_numbers (tenant_id, id),
  foreign key (tenant_id, contact_id) references public.contacts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, assignee_id) references public.memberships (tenant_id, user_id) on delete set null (assignee_id)
);
create index if not exists conversations_status_idx on public.conversations (tenant_id, status, last_message_at desc);
create index if not exists conversations_assignee_idx on public.conversations (tenant_id, assignee_id, last_message_at desc);
create index if not exists conversations_contact_idx on public.conversations (tenant_id, contact_id);

create table if not exists public.messages (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  conversation_id uuid not null,
  number_id uuid not null,
  contact_id uuid not null,
  wamid text unique, -- Meta's id; null until Meta accepts an outbound send. Dedupes webhook retries.
  direction text not null check (direction in ('inbound', 'outbound')),
  -- Open set that follows Meta (text, image, video, audio, document, sticker, location, contacts,
  -- interactive, template, reaction, button, order, system, unsupported, unknown, revoke, edit…)
  -- plus our own `note` (internal, never sent); only the shape is checked.
  type text not null check (type ~ '^[a-z_]{1,32}$'),
  status text not null default 'pending'
    check (status in ('pending', 'queued', 'sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'received')),
  content jsonb not null default '{}',
  error_code integer,
  error_title text,
  error_details text,
  reply_to_wamid text, -- context.id of a reply
  sent_by uuid default auth.uid() references auth.users (id) on delete set null,
  campaign_id uuid,
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  failed_at timestamptz,
  "timestamp" timestamptz not null default now(), -- Meta's time for inbound; ours for outbound
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, conversation_id) references public.conversations (tenant_id, id) on delete cascade,
  foreign key (tenant_id, number_id) references public.whatsapp_numbers (tenant_id, id),
  foreign key (tenant_id, contact_id) references public.contacts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, campaign_id) references public.campaigns (tenant_id, id) on delete set null (campaign_id)
);
create index if not exists messages_conversation_idx on public.messages (conversation_id, "timestamp" desc);
create index if not exists messages_campaign_idx on public.messages (tenant_id, campaign_id) where campaign_id is not null;
create index if not exists messages_contact_idx on public.messages (tenant_id, contact_id);
create index if not exists messages_number_idx on public.messages (tenant_id, number_id);

create table if not exists public.media (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  -- Kept (set null) when the message goes so a sweeper can still delete the stored object.
  message_id uuid,
  meta_media_id text,
  mime_type text,
  sha256 text,
  size_bytes bigint check (size_bytes >= 0),
  storage_path text,
  filename text,
  status text not null default 'pending' check (status in ('pending', 'stored', 'failed')),
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (tenant_id, message_id) references public.messages (tenant_id, id) on delete set null (message_id)
);
create index if not exists media_message_idx on public.media (tenant_id, message_id);
create index if not exists media_meta_id_idx on public.media (meta_media_id) where meta_media_id is not null;

create table if not exists public.campaign_recipients (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  campaign_id uuid not null,
  contact_id uuid not null,
  status text not null default 'pending'
    check (status in ('pending', 'queued', 'sent', 'delivered', 'read', 'replied', 'failed', 'skipped')),
  variables jsonb not null default '{}',
  message_id uuid,
  wamid text,
  error_code integer,
  error_title text,
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  replied_at timestamptz,
  failed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (campaign_id, contact_id), -- idempotency key: a contact gets a campaign at most once
  foreign key (tenant_id, campaign_id) references public.campaigns (tenant_id, id) on delete cascade,
  foreign key (tenant_id, contact_id) references public.contacts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, message_id) references public.messages (tenant_id, id) on delete set null (message_id)
);
create index if not exists campaign_recipients_status_idx on public.campaign_recipients (campaign_id, status);
create index if not exists campaign_recipients_wamid_idx on public.campaign_recipients (wamid) where wamid is not null;
create index if not exists campaign_recipients_contact_idx on public.campaign_recipients (tenant_id, contact_id);
create index if not exists campaign_recipients_message_idx on public.campaign_recipients (tenant_id, message_id) where message_id is not null;
create index if not exists campaign_recipients_retry_idx on public.campaign_recipients (next_attempt_at)
  where status in ('pending', 'queued') and next_attempt_at is not null;

create table if not exists public.scheduled_messages (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  conversation_id uuid not null,
  content jsonb not null,
  send_at timestamptz not null,
  status text not null default 'scheduled' check (status in ('scheduled', 'sent', 'cancelled', 'failed')),
  message_id uuid, -- the message it became once sent
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  qstash_message_id text,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (tenant_id, conversation_id) references public.conversations (tenant_id, id) on delete cascade,
  foreign key (tenant_id, message_id) references public.messages (tenant_id, id) on delete set null (message_id)
);
-- For the Postgres-polling fallback of the QStash scheduler.
create index if not exists scheduled_messages_due_idx on public.scheduled_messages (send_at) where status = 'scheduled';
create index if not exists scheduled_messages_conversation_idx on public.scheduled_messages (tenant_id, conversation_id);
create index if not exists scheduled_messages_message_idx on public.scheduled_messages (tenant_id, message_id) where message_id is not null;

-- Webhooks in and out ---------------------------------------------------------------------------

-- Raw inbound log: written before the tenant is known, hence the nullable tenant_id.
create table if not exists public.webhook_events (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid references public.tenants (id) on delete cascade,
  received_at timestamptz not null default now(),
  source text not null default 'meta',
  payload jsonb not null,
  signature text,
  processed_at timestamptz,
  attempts integer not null default 0 check (attempts >= 0),
  error text
);
create index if not exists webhook_events_unprocessed_idx on public.webhook_events (received_at) where processed_at is null;
create index if not exists webhook_events_tenant_idx on public.webhook_events (tenant_id, received_at desc);

create table if not exists public.outbound_webhooks (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  url text not null check (url ~* '^https?://'),
  secret_ciphertext text not null, -- sealed by the app like access tokens
  events text[] not null default '{}',
  active boolean not null default true,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, id)
);
create index if not exists outbound_webhooks_tenant_idx on public.outbound_webhooks (tenant_id) where active;

create table if not exists public.webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  webhook_id uuid not null,
  event text not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  response_status integer,
  response_body text,
  next_attempt_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (tenant_id, webhook_id) references public.outbound_webhooks (tenant_id, id) on delete cascade
);
create index if not exists webhook_deliveries_webhook_idx on public.webhook_deliveries (tenant_id, webhook_id, created_at desc);
create index if not exists webhook_deliveries_due_idx on public.webhook_deliveries (next_attempt_at) where status = 'pending';

-- Automations, API keys, audit --------------------------------------------------------------------

create table if not exists public.automations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text not null,
  trigger jsonb not null,
  actions jsonb not null default '[]',
  enabled boolean not null default true,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists automations_tenant_idx on public.automations (tenant_id) where enabled;

create table if not exists public.api_keys (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text not null,
  prefix text not null, -- first characters of the key, shown in the UI to tell keys apart
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'), -- sha256 hex; the key is shown once
  role public.member_role not null default 'agent',
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index if not exists api_keys_tenant_idx on public.api_keys (tenant_id);

-- Append-only: no update/delete policy, and the RLS file also revokes those privileges.
-- actor_id has no FK so entries outlive the user; target_id is text (uuid, wamid, …).
create table if not exists public.audit_log (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  actor_id uuid default auth.uid(),
  action text not null,
  target_type text,
  target_id text,
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index if not exists audit_log_tenant_idx on public.audit_log (tenant_id, created_at desc);

-- updated_at maintenance ----------------------------------------------------------------------

create or replace trigger profiles_set_updated_at before update on public.profiles
  for each row execute function private.set_updated_at();
create or replace trigger whatsapp_business_accounts_set_updated_at before update on public.whatsapp_business_accounts
  for each row execute function private.set_updated_at();
create or replace trigger whatsapp_numbers_set_updated_at before update on public.whatsapp_numbers
  for each row execute function private.set_updated_at();
create or replace trigger contacts_set_updated_at before update on public.contacts
  for each row execute function private.set_updated_at();
create or replace trigger templates_set_updated_at before update on public.templates
  for each row execute function private.set_updated_at();
create or replace trigger campaigns_set_updated_at before update on public.campaigns
  for each row execute function private.set_updated_at();
create or replace trigger conversations_set_updated_at before update on public.conversations
  for each row execute function private.set_updated_at();
create or replace trigger messages_set_updated_at before update on public.messages
  for each row execute function private.set_updated_at();
create or replace trigger media_set_updated_at before update on public.media
  for each row execute function private.set_updated_at();
create or replace trigger campaign_recipients_set_updated_at before update on public.campaign_recipients
  for each row execute function private.set_updated_at();
create or replace trigger scheduled_messages_set_updated_at before update on public.scheduled_messages
  for each row execute function private.set_updated_at();
create or replace trigger outbound_webhooks_set_updated_at before update on public.outbound_webhooks
  for each row execute function private.set_updated_at();
create or replace trigger webhook_deliveries_set_updated_at before update on public.webhook_deliveries
  for each row execute function private.set_updated_at();
create or replace trigger automations_set_updated_at before update on public.automations
  for each row execute function private.set_updated_at();
