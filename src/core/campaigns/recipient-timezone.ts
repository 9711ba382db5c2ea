// A recipient's local time zone, guessed from the country of their WhatsApp number: the only location we
// have. Countries spanning several zones get the zone where most of their people live.
import { getCountry } from 'countries-and-timezones'
import { countryOfWaId } from '@/core/pricing/country-of-wa-id'

const MAIN_ZONE: Record<string, string> = {
  US: 'America/New_York',
  CA: 'America/Toronto',
  MX: 'America/Mexico_City',
  BR: 'America/Sao_Paulo',
  AR: 'America/Argentina/Buenos_Aires',
  CL: 'America/Santiago',
  EC: 'America/Guayaquil',
  RU: 'Europe/Moscow',
  UA: 'Europe/Kyiv',
  KZ: 'Asia/Almaty',
  AU: 'Australia/Sydney',
  NZ: 'Pacific/Auckland',
  ID: 'Asia/Jakarta',
  MY: 'Asia/Kuala_Lumpur',
  CN: 'Asia/Shanghai',
  MN: 'Asia/Ulaanbaatar',
  CD: 'Africa/Kinshasa',
  ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon',
  DE: 'Europe/Berlin',
  FR: 'Europe/Paris',
  GB: 'Europe/London',
}

const cache = new Map<string, string | null>()

/** The IANA zone for a WhatsApp id, or null when the number's country is unknown. */
export function recipientTimezone(waId: string): string | null {
  const country = countryOfWaId(waId)
  if (!country) return null
  if (!cache.has(country)) cache.set(country, MAIN_ZONE[country] ?? getCountry(country)?.timezones[0] ?? null)
  return cache.get(country)!
}
