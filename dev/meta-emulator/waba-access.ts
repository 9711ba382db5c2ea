// Who may read what at Meta: the WhatsApp Business Accounts, the tokens granted to them, and the checks
// Graph makes before it answers. A number's own token reads its number and its WABA (an implicit grant);
// other tokens reach a WABA only through an explicit grant, as a system user is assigned the WABA asset.
import { PERMISSIONS, type EmulatorState, type Permission, type RegisteredNumber, type TokenGrantInput, type Waba } from './emulator-state'
import { invalidToken, permissionDenied, unknownObject } from './meta-errors'
import { ensureTemplatesSeeded } from './templates'

// Creates the WABA if Meta does not know it yet (a new one gets the sample templates), or renames it.
export function ensureWaba(state: EmulatorState, wabaId: string, name?: string): Waba {
  let waba = state.wabas.get(wabaId)
  if (!waba) {
    waba = { wabaId, name: name ?? `WhatsApp Business Account ${wabaId}`, subscribedApps: new Map() }
    state.wabas.set(wabaId, waba)
  } else if (name) waba.name = name
  ensureTemplatesSeeded(state, wabaId)
  return waba
}

// Adds to what the token already holds: each named WABA with exactly the given permissions (both by default).
export function grantToken(state: EmulatorState, input: TokenGrantInput) {
  let grants = state.grants.get(input.accessToken)
  if (!grants) {
    grants = new Map()
    state.grants.set(input.accessToken, grants)
  }
  for (const wabaId of input.wabaIds) {
    ensureWaba(state, wabaId)
    grants.set(wabaId, new Set(input.permissions ?? PERMISSIONS))
  }
  return describeGrant(state, input.accessToken)
}

export function describeGrant(state: EmulatorState, accessToken: string) {
  const grants = state.grants.get(accessToken) ?? new Map<string, Set<Permission>>()
  return { accessToken, wabas: [...grants].map(([wabaId, permissions]) => ({ wabaId, permissions: [...permissions] })) }
}

export const numbersOf = (state: EmulatorState, wabaId: string) => [...state.numbers.values()].filter((n) => n.wabaId === wabaId)

// Graph knows a token if it was issued: a number's own token or one granted to some WABA.
export const tokenKnown = (state: EmulatorState, token: string | undefined): token is string =>
  !!token && (state.grants.has(token) || [...state.numbers.values()].some((n) => n.accessToken === token))

// The permissions the token holds on the WABA, or null when it cannot see the WABA at all.
export function permissionsOn(state: EmulatorState, token: string, wabaId: string): ReadonlySet<Permission> | null {
  if (numbersOf(state, wabaId).some((n) => n.accessToken === token)) return new Set(PERMISSIONS)
  return state.grants.get(token)?.get(wabaId) ?? null
}

/**
 * A WABA edge (phone_numbers, message_templates, subscribed_apps) needs whatsapp_business_management. A WABA the
 * token cannot see answers exactly as one that does not exist, so a token learns nothing about WABAs not its own.
 */
export function assertWabaAccess(state: EmulatorState, token: string, wabaId: string, method: string) {
  const permissions = state.wabas.has(wabaId) ? permissionsOn(state, token, wabaId) : null
  if (!permissions) throw unknownObject(method, wabaId)
  if (!permissions.has('whatsapp_business_management')) throw permissionDenied()
}

/**
 * A number's own token always reaches it. Another token needs a grant on the number's WABA (and `permission`
 * when given); without one it is answered 190, as the emulator has always answered a token of another number.
 */
export function assertNumberAccess(state: EmulatorState, token: string, number: RegisteredNumber, permission?: Permission) {
  if (number.accessToken === token) return
  const permissions = state.grants.get(token)?.get(number.wabaId)
  if (!permissions) throw invalidToken()
  if (permission && !permissions.has(permission)) throw permissionDenied()
}

// Media belong to a WABA: any token that can see the WABA can look them up and download them.
export const readsWaba = (state: EmulatorState, token: string | undefined, wabaId: string) =>
  !!token && permissionsOn(state, token, wabaId) !== null
