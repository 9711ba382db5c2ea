// Finds where a JSON text nests deeper than a bound, by scanning the text once without parsing it.
// Deep nesting costs nothing to parse but breaks whatever walks the value afterwards (JSON.stringify,
// Postgres' jsonb input), so it is refused before any of that runs. Returns the path of the first
// container past the bound (keys and array indexes, as zod reports paths), or null when within it.
// Malformed text is left to JSON.parse to refuse.
export type JsonPath = (string | number)[]

interface Frame {
  array: boolean
  /** The index or key of the element being read in this container. */
  at: string | number
  expectingKey: boolean
}

export function findTooDeep(text: string, maxDepth: number): JsonPath | null {
  const stack: Frame[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22 /* " */) {
      const end = endOfString(text, i)
      const top = stack[stack.length - 1]
      if (top && !top.array && top.expectingKey) {
        top.at = decodeKey(text.slice(i, end + 1))
        top.expectingKey = false
      }
      i = end
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) return stack.map((f) => f.at)
      stack.push({ array: c === 0x5b, at: c === 0x5b ? 0 : '', expectingKey: c === 0x7b })
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop()
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1]
      if (top?.array) top.at = (top.at as number) + 1
      else if (top) top.expectingKey = true
    }
  }
  return null
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x5c /* \ */) i++
    else if (c === 0x22) return i
  }
  return text.length
}

function decodeKey(literal: string): string {
  try {
    return JSON.parse(literal) as string
  } catch {
    return literal.slice(1, -1)
  }
}
