import type { Metadata, Viewport } from 'next'
import { connection } from 'next/server'
import type { ReactNode } from 'react'
import { Providers } from '@/ui/providers'
import './globals.css'

export const metadata: Metadata = {
  title: { default: 'Conversa', template: '%s · Conversa' },
  description: 'Team inbox, CRM and campaigns on the WhatsApp Business Cloud API',
}
export const viewport: Viewport = { themeColor: '#059669', width: 'device-width', initialScale: 1 }

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: the CSP nonce (src/proxy.ts) is new each time, and a page prerendered
  // at build time would carry scripts without it, which the policy blocks.
  await connection()
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  )
}
