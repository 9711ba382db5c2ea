// Input schemas for sign-up, sign-in and invitations: shared by route handlers and the forms.
import { z } from 'zod'
import { roleSchema } from '@/core/tenancy/roles'

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email({ message: 'must be a valid email address' }))
// Length only: the strength check (password-policy.ts) needs megabytes of dictionaries, so it runs
// in sign-up (and wherever a password is set), not in this module that forms may import.
export const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(128, 'must be at most 128 characters')
const nameSchema = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters')

export const signUpSchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    fullName: nameSchema,
    // A new workspace, unless the person is joining through an invitation.
    tenantName: nameSchema.optional(),
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone').default('UTC'),
    inviteToken: z.string().min(20).max(200).optional(),
  })
  .refine((v) => v.tenantName || v.inviteToken, { path: ['tenantName'], message: 'is required' })
export type SignUpInput = z.infer<typeof signUpSchema>

export const signInSchema = z.object({ email: emailSchema, password: z.string().min(1, 'is required').max(128) })
export type SignInInput = z.infer<typeof signInSchema>

export const inviteSchema = z.object({ email: emailSchema, role: roleSchema })
export type InviteInput = z.infer<typeof inviteSchema>

export const acceptInvitationSchema = z.object({ token: z.string().min(20).max(200) })
export const switchTenantSchema = z.object({ tenantId: z.string().uuid() })

export const changePasswordSchema = z.object({ currentPassword: z.string().min(1, 'is required').max(128), newPassword: passwordSchema })
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>
