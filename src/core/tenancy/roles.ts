// Member roles, highest first, and the rules for who may act on or grant which role.
import { z } from 'zod'

export const ROLES = ['owner', 'admin', 'supervisor', 'agent'] as const
export const roleSchema = z.enum(ROLES)
export type Role = z.infer<typeof roleSchema>

const rank = (role: Role) => ROLES.length - ROLES.indexOf(role)

export const atLeast = (role: Role, minimum: Role) => rank(role) >= rank(minimum)

/** Owners grant any role; admins any but owner; nobody else grants roles (mirrors private.can_grant_role). */
export function canGrant(actor: Role, target: Role): boolean {
  if (actor === 'owner') return true
  if (actor === 'admin') return target !== 'owner'
  return false
}
