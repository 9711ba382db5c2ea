// What Meta already did must reach our database: a send it accepted or a failure it reported, lost to a
// brief database hiccup, would leave the message looking like it is still on its way. Five tries,
// 100 ms doubling between them.
export async function retryWrite<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write()
    } catch (error) {
      if (attempt >= 4) throw error
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt))
    }
  }
}
