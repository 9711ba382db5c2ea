'use client'
// The signed-in frame: navigation, tenant switcher and the user menu; collapses to a drawer on phones.
import { useMutation } from '@tanstack/react-query'
import { Activity, Building2, ContactRound, FileText, Inbox, KeyRound, LayoutDashboard, LockKeyhole, LogOut, Megaphone, Menu, MessageSquareText, Phone, Shield, Users } from 'lucide-react'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import type { ReactNode } from 'react'
import { api } from '@/ui/api/api-client'
import { useSession } from '@/ui/api/use-session'
import { NotificationsToggle } from '@/ui/push/notifications-toggle'
import { RealtimeConnection } from '@/ui/realtime/realtime-connection'
import { useUiStore } from '@/ui/stores/ui-store'
import { TenantSwitcher } from './tenant-switcher'

const NAV = [
  { href: '/dashboard', label: 'Dashboard', icon: LayoutDashboard },
  { href: '/inbox', label: 'Inbox', icon: Inbox },
  { href: '/contacts', label: 'Contacts', icon: ContactRound },
  { href: '/templates', label: 'Templates', icon: FileText },
  { href: '/campaigns', label: 'Campaigns', icon: Megaphone },
  { href: '/settings/numbers', label: 'Numbers', icon: Phone },
  { href: '/settings/members', label: 'Members', icon: Users },
  { href: '/settings/messaging', label: 'Messaging', icon: MessageSquareText },
  { href: '/settings/api-keys', label: 'API keys', icon: KeyRound },
  { href: '/settings/security', label: 'Security', icon: LockKeyhole },
]

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname()
  const { data: session } = useSession()
  const { navOpen, toggleNav, closeNav } = useUiStore()
  const logout = useMutation({
    mutationFn: () => api('/api/auth/logout', { method: 'POST' }),
    // A full page load drops every cached query and store of the old session, so nothing from one
    // tenant lingers in memory or refetches with the dead cookie.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    onSuccess: () => window.location.assign('/login'),
  })
  const links = session?.user.platformAdmin
    ? [...NAV, { href: '/admin/tenants', label: 'All tenants', icon: Shield }, { href: '/admin/queues', label: 'Queues', icon: Activity }]
    : NAV

  return (
    <div className="flex min-h-full flex-col md:flex-row">
      <RealtimeConnection tenantId={session?.activeTenantId ?? null} />
      <header className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-3 md:hidden">
        <span className="font-bold text-brand-700">Conversa</span>
        <button type="button" aria-label="Open navigation" aria-expanded={navOpen} onClick={toggleNav} className="rounded p-2 hover:bg-slate-100">
          <Menu aria-hidden className="h-5 w-5" />
        </button>
      </header>
      <nav
        aria-label="Main"
        className={`${navOpen ? 'flex' : 'hidden'} w-full flex-col gap-4 border-r border-slate-200 bg-white p-4 md:flex md:w-64 md:shrink-0`}
      >
        <div className="hidden items-center gap-2 text-lg font-bold text-brand-700 md:flex">
          <Building2 aria-hidden className="h-5 w-5" /> Conversa
        </div>
        <TenantSwitcher />
        <ul className="flex flex-col gap-1">
          {links.map(({ href, label, icon: Icon }) => (
            <li key={href}>
              <Link
                href={href}
                onClick={closeNav}
                aria-current={pathname.startsWith(href) ? 'page' : undefined}
                className="flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-brand-50 aria-[current=page]:text-brand-700"
              >
                <Icon aria-hidden className="h-4 w-4" /> {label}
              </Link>
            </li>
          ))}
        </ul>
        <div className="mt-auto border-t border-slate-200 pt-4 text-sm">
          <p className="truncate font-medium" title={session?.user.email}>
            {session?.user.fullName ?? session?.user.email ?? ' '}
          </p>
          <p className="truncate text-slate-500">{session?.user.email}</p>
          <NotificationsToggle tenantId={session?.activeTenantId ?? null} />
          <button
            type="button"
            onClick={() => logout.mutate()}
            className="mt-3 flex items-center gap-2 rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100"
          >
            <LogOut aria-hidden className="h-4 w-4" /> Sign out
          </button>
        </div>
      </nav>
      <main className="min-w-0 flex-1 p-4 md:p-8">{children}</main>
    </div>
  )
}
