'use client'
import { useMutation } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { api } from '@/ui/api/api-client'
import { buttonClass } from '@/ui/components/field'

export function AcceptInviteButton({ token, tenantName }: { token: string; tenantName: string }) {
  const router = useRouter()
  const accept = useMutation({
    mutationFn: () => api('/api/invitations/accept', { body: { token } }),
    onSuccess: () => {
      router.replace('/inbox')
      router.refresh()
    },
  })
  return (
    <div className="space-y-3">
      <button type="button" className={`${buttonClass} w-full`} disabled={accept.isPending} onClick={() => accept.mutate()}>
        Join {tenantName}
      </button>
      {accept.error && (
        <p role="alert" className="text-sm text-red-600">
          {accept.error.message}
        </p>
      )}
    </div>
  )
}
