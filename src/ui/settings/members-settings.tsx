'use client'
// Members and roles of the active workspace; owners and admins invite people with a role, change the
// roles they may grant and remove members they may manage.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { toast } from 'sonner'
import { canGrant, type Role } from '@/core/tenancy/roles'
import { api } from '@/ui/api/api-client'
import { queryKeys } from '@/ui/api/query-keys'
import type { MembersResponse } from '@/ui/api/types'
import { useSession } from '@/ui/api/use-session'
import { buttonClass, Field } from '@/ui/components/field'
import { fieldErrors } from '@/ui/components/field-errors'
import { RoleSelect } from '@/ui/components/role-select'

export function MembersSettings() {
  const { data: session } = useSession()
  const tenantId = session?.activeTenantId ?? null
  const members = useQuery({
    queryKey: queryKeys.members(tenantId),
    queryFn: () => api<MembersResponse>('/api/members'),
    enabled: tenantId !== null,
  })
  const canInvite = members.data?.myRole === 'owner' || members.data?.myRole === 'admin'

  return (
    <section aria-labelledby="members-title" className="mx-auto max-w-4xl space-y-8">
      <h1 id="members-title" className="text-2xl font-semibold">
        Members
      </h1>
      {canInvite && <InviteForm tenantId={tenantId} myRole={members.data!.myRole} />}
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Workspace members</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">Name</th>
              <th scope="col" className="px-4 py-2">Email</th>
              <th scope="col" className="px-4 py-2">Role</th>
              <th scope="col" className="px-4 py-2">Status</th>
              <th scope="col" className="px-4 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {members.data?.members.map((m) => (
              <MemberRow
                key={m.userId}
                member={m}
                myRole={members.data!.myRole}
                me={session?.user.id}
                tenantId={tenantId}
                lastOwner={m.role === 'owner' && members.data!.members.filter((o) => o.role === 'owner').length === 1}
              />
            ))}
            {members.data?.invitations.map((i) => (
              <tr key={i.id}>
                <td className="px-4 py-2 text-slate-400">—</td>
                <td className="px-4 py-2">{i.email}</td>
                <td className="px-4 py-2 capitalize">{i.role}</td>
                <td className="px-4 py-2 text-amber-700">Invited until {new Date(i.expiresAt).toLocaleDateString()}</td>
                <td />
              </tr>
            ))}
          </tbody>
        </table>
        {members.isPending && <p className="p-4 text-sm text-slate-500">Loading members…</p>}
      </div>
    </section>
  )
}

type Member = MembersResponse['members'][number]

/** `lastOwner`: a workspace always keeps an owner, so its only one can neither leave nor be removed. */
function MemberRow(props: { member: Member; myRole: Role; me: string | undefined; tenantId: string | null; lastOwner: boolean }) {
  const { member, myRole, me, tenantId, lastOwner } = props
  const queryClient = useQueryClient()
  const manageable = canGrant(myRole, member.role)
  const label = member.fullName ?? member.email
  const done = (message: string) => {
    toast.success(message)
    void queryClient.invalidateQueries({ queryKey: queryKeys.members(tenantId) })
  }
  const changeRole = useMutation({
    mutationFn: (role: Role) => api(`/api/members/${member.userId}`, { method: 'PATCH', body: { role } }),
    onSuccess: (_data, role) => done(`${label} is now ${role}`),
    onError: (e) => toast.error(e.message),
  })
  const remove = useMutation({
    mutationFn: () => api(`/api/members/${member.userId}`, { method: 'DELETE' }),
    // Leaving the workspace ends what this page can show: start over in the next one.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    onSuccess: () => (member.userId === me ? window.location.assign('/') : done(`${label} was removed`)),
    onError: (e) => toast.error(e.message),
  })
  const confirmRemove = () => {
    const question = member.userId === me ? 'Leave this workspace?' : `Remove ${label} from this workspace? Their conversations become unassigned.`
    if (window.confirm(question)) remove.mutate()
  }
  return (
    <tr>
      <td className="px-4 py-2">{member.fullName ?? '—'}</td>
      <td className="px-4 py-2">{member.email}</td>
      <td className="px-4 py-2 capitalize">
        {manageable && member.userId !== me ? (
          <RoleSelect
            aria-label={`Role of ${label}`}
            myRole={myRole}
            value={member.role}
            disabled={changeRole.isPending}
            onChange={(role) => changeRole.mutate(role)}
            className="px-2 py-1"
          />
        ) : (
          member.role
        )}
      </td>
      <td className="px-4 py-2 text-brand-700">Active</td>
      <td className="px-4 py-2 text-right">
        {(manageable || member.userId === me) && !lastOwner && (
          <button type="button" onClick={confirmRemove} disabled={remove.isPending} className="text-sm font-medium text-red-700 hover:underline">
            {member.userId === me ? 'Leave' : <>Remove<span className="sr-only"> {label}</span></>}
          </button>
        )}
      </td>
    </tr>
  )
}

function InviteForm({ tenantId, myRole }: { tenantId: string | null; myRole: Role }) {
  const roleId = useId()
  const queryClient = useQueryClient()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('agent')
  const [link, setLink] = useState<string | null>(null)
  const invite = useMutation({
    mutationFn: () => api<{ inviteUrl: string }>('/api/invitations', { body: { email, role } }),
    onSuccess: (data) => {
      setLink(data.inviteUrl)
      setEmail('')
      toast.success('Invitation created')
      void queryClient.invalidateQueries({ queryKey: queryKeys.members(tenantId) })
    },
  })
  const errors = fieldErrors(invite.error)

  return (
    <form
      aria-label="Invite a member"
      className="space-y-4 rounded-xl border border-slate-200 bg-white p-6"
      onSubmit={(e) => {
        e.preventDefault()
        invite.mutate()
      }}
    >
      <h2 className="text-lg font-semibold">Invite a member</h2>
      <div className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
        <Field label="Email address" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
        <div className="space-y-1">
          <label htmlFor={roleId} className="block text-sm font-medium text-slate-700">
            Role
          </label>
          <RoleSelect id={roleId} myRole={myRole} value={role} onChange={setRole} className="block w-full px-2 py-2" />
        </div>
        <button type="submit" className={buttonClass} disabled={invite.isPending}>
          Send invite
        </button>
      </div>
      {invite.error && !errors.email && (
        <p role="alert" className="text-sm text-red-600">
          {invite.error.message}
        </p>
      )}
      {link && (
        <div className="rounded-md bg-brand-50 p-3 text-sm">
          <p className="font-medium text-brand-700">Share this invitation link (valid for 7 days):</p>
          <input aria-label="Invitation link" readOnly value={link} className="mt-2 w-full rounded border border-brand-100 bg-white px-2 py-1 font-mono text-xs" onFocus={(e) => e.target.select()} />
        </div>
      )}
    </form>
  )
}
