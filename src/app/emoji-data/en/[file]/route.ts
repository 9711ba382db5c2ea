// The emoji picker's data (emojibase), served by the app itself: the picker would otherwise fetch it
// from a public CDN, which an offline or locked-down deployment cannot reach. Built as static files.
import data from 'emojibase-data/en/data.json'
import messages from 'emojibase-data/en/messages.json'
import { notFound } from '@/core/errors/app-error'

const FILES: Record<string, unknown> = { 'data.json': data, 'messages.json': messages }

export const dynamic = 'force-static'
export const generateStaticParams = () => Object.keys(FILES).map((file) => ({ file }))

export async function GET(_req: Request, { params }: { params: Promise<{ file: string }> }) {
  const body = FILES[(await params).file]
  if (!body) return Response.json(notFound('Emoji data file').toBody(), { status: 404 })
  return Response.json(body, { headers: { 'cache-control': 'public, max-age=86400' } })
}
