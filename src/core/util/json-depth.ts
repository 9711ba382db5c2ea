// Finds where a JSON text nests deeper than a bound, by scanning the text once without parsing it.
// Deep nesting costs nothing to parse but breaks whatever walks the value afterwards (JSON.stringify,
// Postgres' jsonb input), so it is refused before any of that runs. Returns the path of the first
// container past the bound (keys and array indexes, as zod reports paths), or null when within it.
// Malformed text is left to JSON.parse to refuse.
export type JsonPath = (string | number)[]

interface Frame {
  array: boolean
  /** Arrays: the index of the element being read. */
  index: number
  /** Objects: where the literal of the key being read starts and ends (decoded only for a path reported). */
  keyStart: number
  keyEnd: number
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
        top.keyStart = i
        top.keyEnd = end
        top.expectingKey = false
      }
      i = end
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) return stack.map((f) => (f.array ? f.index : f.keyStart < 0 ? '' : decodeKey(text.slice(f.keyStart, f.keyEnd + 1))))
      stack.push({ array: c === 0x5b, index: 0, keyStart: -1, keyEnd: -1, expectingKey: c === 0x7b })
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop()
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1]
      if (top?.array) top.index++
      else if (top) top.expectingKey = true
    }
  }
  return null
}

// The closing quote: the next quote not escaped, i.e. after an even run of backslashes (found with
// indexOf, which scans far faster than a loop over each character of a long string).
function endOfString(text: string, start: number): number {
  for (let quote = text.indexOf('"', start + 1); quote >= 0; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c /* \ */) backslashes++
    if (backslashes % 2 === 0) return quote
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
