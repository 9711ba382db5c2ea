// A server type as the browser receives it over JSON: every Date becomes its ISO string. The browser's
// response types are derived from the domain's with this, so the two cannot drift apart.
export type Jsonified<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T
