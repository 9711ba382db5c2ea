import { describe, expect, it } from 'vitest'
import { matchKeyword, normalizeKeyword } from '@/core/opt-out/match-opt-out-keyword'
import { DEFAULT_OPT_OUT_SETTINGS, optOutSettingsSchema } from '@/core/opt-out/opt-out-settings'

const KEYWORDS = DEFAULT_OPT_OUT_SETTINGS.keywords

describe('normalizing a keyword or message', () => {
  it('drops accents and case, and trims spaces, punctuation and emoji from both ends', () => {
    expect(normalizeKeyword('  SAÍR ')).toBe('sair')
    expect(normalizeKeyword('¡Parar!')).toBe('parar')
    expect(normalizeKeyword('STOP 🙏🏽')).toBe('stop')
    expect(normalizeKeyword('"stop."')).toBe('stop')
    expect(normalizeKeyword('ＳＴＯＰ')).toBe('stop')
  })

  it('keeps inner punctuation and collapses inner whitespace', () => {
    expect(normalizeKeyword("Don't   send")).toBe("don't send")
  })
})

describe('matching a whole message against keywords', () => {
  it.each([
    ['stop', 'STOP'],
    [' Parar! ', 'PARAR'],
    ['SAÍR', 'SAIR'],
    ['Cancelar', 'CANCELAR'],
    ['stop!', 'STOP'],
    ['STOP 🙏', 'STOP'],
    ['\nunsubscribe.\n', 'UNSUBSCRIBE'],
    ['❌ cancelár ❌', 'CANCELAR'],
  ])('"%s" is the keyword %s', (text, keyword) => {
    expect(matchKeyword(text, KEYWORDS)).toBe(keyword)
  })

  it.each(["please don't stop", 'stopped', 'STOP sending me ads', 'sair daqui', '🙏', '', 'parar'.repeat(50)])('"%s" is no keyword', (text) => {
    expect(matchKeyword(text, KEYWORDS)).toBeNull()
  })

  it('matches a multi-word keyword with any spacing', () => {
    expect(matchKeyword('stop  all', ['STOP ALL'])).toBe('STOP ALL')
  })
})

describe('the opt-out settings schema', () => {
  it('accepts the defaults', () => {
    expect(optOutSettingsSchema.safeParse(DEFAULT_OPT_OUT_SETTINGS).success).toBe(true)
  })

  it('refuses too many, too long, empty or duplicate keywords and an over-long confirmation', () => {
    const problems = (patch: object) =>
      optOutSettingsSchema.safeParse({ ...DEFAULT_OPT_OUT_SETTINGS, ...patch }).error?.issues.map((i) => i.path.join('.'))
    expect(problems({ keywords: Array.from({ length: 31 }, (_, i) => `K${i}`) })).toEqual(['keywords'])
    expect(problems({ keywords: ['x'.repeat(41)] })).toEqual(['keywords.0'])
    expect(problems({ keywords: ['STOP', ' '] })).toEqual(['keywords.1'])
    expect(problems({ keywords: ['!!!'] })).toEqual(['keywords.0'])
    expect(problems({ keywords: ['Sair', 'SAÍR'] })).toEqual(['keywords.1'])
    expect(problems({ confirmation: 'x'.repeat(1025) })).toEqual(['confirmation'])
    expect(problems({ confirmation: '' })).toEqual(['confirmation'])
    expect(problems({ resubscribeKeywords: ['stop'] })).toEqual(['resubscribeKeywords.0'])
  })
})
