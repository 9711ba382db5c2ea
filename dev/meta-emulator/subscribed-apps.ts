// `/{waba-id}/subscribed_apps`: which apps receive the WABA's webhooks. POST subscribes the calling app
// (optionally with `override_callback_uri` + `verify_token`), GET lists the subscribed apps, DELETE unsubscribes.
// The emulator plays one Meta app, the one whose secret signs its webhooks.
import type { EmulatorState } from './emulator-state'
import { json, type Reply } from './http-io'
import { missingParameter } from './meta-errors'

export const EMULATED_APP = { id: '1000000000000001', name: 'Conversa', link: 'https://www.facebook.com/games/?app_id=1000000000000001' }

// Graph takes parameters from the query string, a JSON body or a form body alike.
export function graphParams(url: URL, body: Buffer, contentType: string): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(url.searchParams)
  const text = body.toString('utf8').trim()
  if (!text) return params
  if (contentType.includes('application/x-www-form-urlencoded')) return { ...params, ...Object.fromEntries(new URLSearchParams(text)) }
  try {
    const parsed: unknown = JSON.parse(text)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') params[k] = v
  } catch {
    // An unreadable body carries no parameters, as Graph treats it.
  }
  return params
}

export function subscribeApp(state: EmulatorState, wabaId: string, params: Record<string, string>): Reply {
  const uri = params.override_callback_uri
  if (uri && !params.verify_token) throw missingParameter('verify_token')
  state.wabas.get(wabaId)!.subscribedApps.set(EMULATED_APP.id, { overrideCallbackUri: uri ?? null, subscribedAt: new Date().toISOString() })
  return json(200, { success: true })
}

export function listSubscribedApps(state: EmulatorState, wabaId: string): Reply {
  const apps = [...state.wabas.get(wabaId)!.subscribedApps].map(([id, s]) => ({
    whatsapp_business_api_data: { id, link: EMULATED_APP.link, name: EMULATED_APP.name },
    ...(s.overrideCallbackUri ? { override_callback_uri: s.overrideCallbackUri } : {}),
  }))
  return json(200, { data: apps })
}

export function unsubscribeApp(state: EmulatorState, wabaId: string): Reply {
  state.wabas.get(wabaId)!.subscribedApps.delete(EMULATED_APP.id)
  return json(200, { success: true })
}
