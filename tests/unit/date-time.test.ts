import { afterEach, describe, expect, it } from 'vitest'
import { dateTimeLabel } from '@/ui/components/date-time'

const machineZone = process.env.TZ

describe('an instant shown to people', () => {
  afterEach(() => {
    if (machineZone === undefined) delete process.env.TZ
    else process.env.TZ = machineZone
  })

  it("is in the viewer's zone and names it, so times from different screens compare", () => {
    process.env.TZ = 'America/Sao_Paulo'
    expect(dateTimeLabel('2026-12-07T01:24:00Z', 'en-US')).toMatch(/^Dec 6, 2026, 10:24\sPM GMT-3$/)
    process.env.TZ = 'Europe/Madrid'
    expect(dateTimeLabel('2026-12-07T01:24:00Z', 'es-ES')).toMatch(/^7 dic 2026, 02:24 CET$/)
  })

  it('follows the locale', () => {
    process.env.TZ = 'America/Sao_Paulo'
    expect(dateTimeLabel('2026-12-07T01:24:00Z', 'pt-BR')).toMatch(/^6 de dez\. de 2026, 22:24 BRT$/)
  })
})
