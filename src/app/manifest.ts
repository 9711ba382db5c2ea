// The web app manifest: Conversa installs as a standalone app (desktop and phones) that opens on the inbox.
import type { MetadataRoute } from 'next'

export default function manifest(): MetadataRoute.Manifest {
  return {
    name: 'Conversa — WhatsApp team inbox',
    short_name: 'Conversa',
    description: 'Team inbox, CRM and campaigns on the WhatsApp Business Cloud API',
    id: '/inbox',
    start_url: '/inbox',
    scope: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#059669',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  }
}
