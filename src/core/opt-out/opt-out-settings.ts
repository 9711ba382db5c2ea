// A tenant's opt-out settings (tenants.settings.optOut): the keywords that unsubscribe a customer, the
// reply confirming it, and the keywords that subscribe them again. Defaults apply until an admin edits them.
import { z } from 'zod'
import { normalizeKeyword } from './match-opt-out-keyword'

const keyword = z
  .string()
  .trim()
  .min(1, { message: 'A keyword cannot be empty', abort: true })
  .max(40, 'A keyword is at most 40 characters')
  .refine((k) => normalizeKeyword(k) !== '', 'A keyword needs at least one letter or digit')

// Two spellings that normalise alike ("Sair", "SAÍR") are one keyword to the matcher.
const keywordList = z
  .array(keyword)
  .max(30, 'At most 30 keywords')
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.forEach((k, i) => {
      const n = normalizeKeyword(k)
      if (seen.has(n)) ctx.addIssue({ code: 'custom', path: [i], message: `"${k}" is already in the list` })
      seen.add(n)
    })
  })

export const optOutSettingsSchema = z
  .object({
    enabled: z.boolean(),
    keywords: keywordList,
    confirmation: z.string().trim().min(1, 'The confirmation cannot be empty').max(1024, 'The confirmation is at most 1024 characters'),
    resubscribeKeywords: keywordList,
  })
  .superRefine((s, ctx) => {
    const stops = new Set(s.keywords.map(normalizeKeyword))
    s.resubscribeKeywords.forEach((k, i) => {
      if (stops.has(normalizeKeyword(k))) ctx.addIssue({ code: 'custom', path: ['resubscribeKeywords', i], message: `"${k}" is also an opt-out keyword` })
    })
  })

export type OptOutSettings = z.infer<typeof optOutSettingsSchema>

export const DEFAULT_OPT_OUT_SETTINGS: OptOutSettings = {
  enabled: true,
  keywords: ['STOP', 'PARAR', 'SAIR', 'CANCELAR', 'UNSUBSCRIBE'],
  confirmation: 'You have been unsubscribed and will not receive more messages from us. Reply START to subscribe again.',
  resubscribeKeywords: ['START'],
}
