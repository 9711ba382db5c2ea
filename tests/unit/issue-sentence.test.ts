import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppError } from '@/core/errors/app-error'
import { parseInput } from '@/core/errors/parse-input'

const details = (schema: z.ZodType, input: unknown) => {
  try {
    parseInput(schema, input)
  } catch (error) {
    return (error as AppError).details as { path: string; message: string }[]
  }
  throw new Error('expected the input to be refused')
}

describe('validation errors people read', () => {
  it('are sentences next to their field, not zod’s developer text', () => {
    const schema = z
      .object({
        accessToken: z.string().min(20),
        name: z.string().min(1),
        mps: z.number().max(1000),
        role: z.enum(['owner', 'admin', 'agent']),
        email: z.email(),
        tags: z.array(z.string()).min(1),
        note: z.string(),
      })
      .strict()
    expect(details(schema, { accessToken: 'short', name: '', mps: 5000, role: 'boss', email: 'nope', tags: [], extra: 1 })).toEqual([
      { path: 'accessToken', message: 'Must be at least 20 characters' },
      { path: 'name', message: 'Required' },
      { path: 'mps', message: 'Must be at most 1000' },
      { path: 'role', message: 'Must be one of: owner, admin, agent' },
      { path: 'email', message: 'Not a valid email address' },
      { path: 'tags', message: 'Must have at least 1 item' },
      { path: 'note', message: 'Required' },
      { path: '', message: 'Not a field we know: extra' },
    ])
  })

  it('keep a message the schema spells out itself', () => {
    expect(details(z.object({ body: z.string().min(1, 'must not be empty') }), { body: '' })).toEqual([{ path: 'body', message: 'must not be empty' }])
    expect(details(z.object({ n: z.number() }), { n: 'seven' })).toEqual([{ path: 'n', message: 'Must be a number' }])
  })
})
