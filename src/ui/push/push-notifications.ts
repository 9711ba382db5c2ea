// The browser side of web push: the service worker, the permission prompt and the subscription the
// server sends to. Every step can be refused (no support, permission denied, no VAPID key configured).
import { api } from '@/ui/api/api-client'

export type PushState = 'unsupported' | 'unconfigured' | 'denied' | 'off' | 'on'

export const pushSupported = () => typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window

export const registerServiceWorker = () => navigator.serviceWorker.register('/sw.js', { scope: '/' })

function applicationServerKey(base64url: string) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=')
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
}

export async function currentPushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported'
  const { publicKey } = await api<{ publicKey: string | null }>('/api/push/config')
  if (!publicKey) return 'unconfigured'
  if (Notification.permission === 'denied') return 'denied'
  const registration = await navigator.serviceWorker.getRegistration('/')
  return (await registration?.pushManager.getSubscription()) ? 'on' : 'off'
}

export async function enablePush(): Promise<PushState> {
  const { publicKey } = await api<{ publicKey: string | null }>('/api/push/config')
  if (!publicKey) return 'unconfigured'
  if ((await Notification.requestPermission()) !== 'granted') return 'denied'
  const registration = await registerServiceWorker()
  await navigator.serviceWorker.ready
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey(publicKey) }))
  await api('/api/push/subscriptions', { method: 'POST', body: subscription.toJSON() })
  return 'on'
}

export async function disablePush(): Promise<PushState> {
  const subscription = await (await navigator.serviceWorker.getRegistration('/'))?.pushManager.getSubscription()
  if (subscription) {
    await api('/api/push/subscriptions', { method: 'DELETE', body: { endpoint: subscription.endpoint } })
    await subscription.unsubscribe()
  }
  return 'off'
}
