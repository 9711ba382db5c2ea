-- Sessions of the local auth provider: one row per signed-in device. The access JWT names its row
-- (`session_id`) and is honoured only while the row is live, so signing out ends it at once; the
-- refresh token is kept only as a SHA-256 hash and rotates on every use. The token embeds its
-- session id, so a token that names a live session but is not its current one is a replay of a
-- rotated token: the whole session is revoked (reuse detection).
-- With the Supabase provider this table stays empty (Supabase keeps auth.sessions itself).
create table if not exists public.user_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  refresh_token_hash text not null,
  -- The token this one replaced, honoured for a few seconds without rotating again: two requests
  -- of one browser that refresh at the same moment must not look like a replay.
  previous_token_hash text,
  rotated_at timestamptz not null default now(),
  user_agent text,
  ip text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text check (revoked_reason in ('signed_out', 'signed_out_everywhere', 'password_changed', 'refresh_token_reused', 'revoked'))
);

create index if not exists user_sessions_live_by_user on public.user_sessions (user_id, last_used_at desc) where revoked_at is null;

alter table public.user_sessions enable row level security;
alter table public.user_sessions force row level security;

-- People see their own sessions (Settings → Security); every change goes through the auth provider
-- on the service connection, which also keeps the token hashes out of any user's reach.
drop policy if exists "users read their own sessions" on public.user_sessions;
create policy "users read their own sessions" on public.user_sessions
  for select to authenticated
  using (user_id = (select auth.uid()));

revoke all on public.user_sessions from anon, authenticated;
grant select (id, user_id, user_agent, ip, created_at, last_used_at, expires_at, revoked_at, revoked_reason)
  on public.user_sessions to authenticated;
grant select, insert, update, delete on public.user_sessions to service_role;
