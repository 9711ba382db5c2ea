// Turns the project's zod verdict on a send body into the error Meta would answer: a missing field is
// 131008, a wrong type, unknown key or over-long text is 100, any other bad value is 131009. Meta
// reports one problem at a time, naming the field in error_data.details as `text['body']`.
import type { z } from 'zod'
import { whatsappError, type MetaError } from './meta-errors'

type Path = readonly PropertyKey[]

export const metaParam = (path: Path) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `['${String(p)}']`)).join('')

function valueAt(input: unknown, path: Path): unknown {
  let value = input
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

// The project's messages read as predicates ("must be …", "is required"); zod's defaults do not.
const phrase = (field: string, message: string) => (/^(must|is|are|has) /.test(message) ? `Param ${field} ${message}` : `Param ${field}: ${message}`)

export function metaErrorFromIssues(issues: readonly z.core.$ZodIssue[], input: unknown): MetaError {
  const issue = issues[0]
  if (!issue) return whatsappError(100)
  const field = metaParam(issue.path) || 'message'
  if (issue.code === 'unrecognized_keys') return whatsappError(100, `Unexpected key "${issue.keys[0]}" on param "${field}".`)
  const value = valueAt(input, issue.path)
  if (value === undefined) return whatsappError(131008, `The parameter ${field} is required.`)
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options))
    return whatsappError(100, `Param ${field} must be one of {${issue.options.join(', ')}} - got "${String(value)}".`)
  if (issue.code === 'invalid_type') return whatsappError(100, phrase(field, issue.message))
  if ((issue.code === 'too_big' || issue.code === 'too_small') && issue.origin === 'string') return whatsappError(100, phrase(field, issue.message))
  return whatsappError(131009, phrase(field, issue.message))
}
