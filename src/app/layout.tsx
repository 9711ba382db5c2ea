import type { Metadata, Viewport } from 'next'
import type { ReactNode } from 'react'
import { Providers } from '@/ui/providers'
import './globals.css'

export const metadata: Metadata = {
  title: { default: 'Conversa', template: '%s · Conversa' },
  description: 'Team inbox, CRM and campaigns on the WhatsApp Business Cloud API',
}
export const viewport: Viewport = { themeColor: '#059669', width: 'device-width', initialScale: 1 }

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  )
}
