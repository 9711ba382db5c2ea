// Reads Meta webhook payloads from tests/fixtures/meta.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const DIR = path.resolve(import.meta.dirname, '../../fixtures/meta')

export const metaFixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(DIR, name), 'utf8'))
export const metaFixtureNames = () => readdirSync(DIR).filter((f) => /^\d+_.*\.json$/.test(f)).sort()
