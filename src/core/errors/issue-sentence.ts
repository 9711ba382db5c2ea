// Zod's default messages are written for developers ("Too small: expected string to have >=20
// characters"); the people who read ours run a business. These sentences replace them wherever input
// is parsed; a message a schema spells out itself ("must not be empty") still wins.
import type { z } from 'zod'

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a group of fields',
  date: 'a date',
}

const FORMATS: Record<string, string> = {
  email: 'Not a valid email address',
  url: 'Not a valid web address (https://…)',
  uuid: 'Not a valid id',
  datetime: 'Not a valid date and time',
  date: 'Not a valid date',
  e164: 'Not a valid phone number with country code (+…)',
}

function size(origin: string | undefined, bound: number | bigint, side: 'least' | 'most') {
  const n = Number(bound)
  if (origin === 'string') return n === 1 && side === 'least' ? 'Required' : `Must be at ${side} ${n} character${n === 1 ? '' : 's'}`
  if (origin === 'array' || origin === 'set') return `Must have at ${side} ${n} item${n === 1 ? '' : 's'}`
  return `Must be at ${side} ${n}`
}

export const issueSentence: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? 'Required' : `Must be ${EXPECTED[issue.expected] ?? issue.expected}`
    case 'too_small':
      return size(issue.origin, issue.minimum, 'least')
    case 'too_big':
      return size(issue.origin, issue.maximum, 'most')
    case 'invalid_format':
      return FORMATS[issue.format] ?? 'Not in the expected format'
    case 'invalid_value':
      return `Must be one of: ${issue.values.map(String).join(', ')}`
    case 'unrecognized_keys':
      return `Not a field we know: ${issue.keys.join(', ')}`
    default:
      return undefined
  }
}
