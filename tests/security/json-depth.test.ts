// The depth scan that refuses deeply nested JSON before it is parsed: exact at the bound, blind to
// brackets inside strings, and naming the path as zod would.
import { describe, expect, it } from 'vitest'
import { findTooDeep } from '@/core/util/json-depth'

const nest = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`

describe('finding JSON nested too deep', () => {
  it('accepts exactly the bound and refuses one level more', () => {
    expect(findTooDeep(nest(64), 64)).toBeNull()
    expect(findTooDeep(nest(65), 64)).toEqual(Array(64).fill(0))
  })

  it('ignores brackets and escaped quotes inside strings', () => {
    const text = JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[\\" twice', c: [['\\\\', '"{']] })
    expect(findTooDeep(text, 3)).toBeNull()
    expect(findTooDeep(JSON.stringify({ s: '['.repeat(10_000) }), 2)).toBeNull()
  })

  it('names the path with keys (decoded) and array indexes', () => {
    const value = { components: [{ type: 'BODY' }, { 'ex"ample': { list: [1, 2, [[[1]]]] } }] }
    expect(findTooDeep(JSON.stringify(value), 6)).toEqual(['components', 1, 'ex"ample', 'list', 2, 0])
    expect(findTooDeep(JSON.stringify(value), 8)).toBeNull()
  })

  it('agrees with the real nesting of what JSON.parse reads', () => {
    const value = { a: [{ b: { c: [] } }], d: { e: 1 } }
    const depthOf = (v: unknown): number => (v && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0)
    const depth = depthOf(value)
    expect(findTooDeep(JSON.stringify(value), depth)).toBeNull()
    expect(findTooDeep(JSON.stringify(value), depth - 1)).not.toBeNull()
  })
})
