// The Meta emulator's control API as tests call it: GET without a body, POST with one, and any
// refusal thrown with the emulator's answer.
export function emulatorControl(baseUrl: () => string) {
  return async function control<T = Record<string, unknown>>(pathname: string, body?: unknown): Promise<T> {
    const res = await fetch(`${baseUrl()}/control/${pathname}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = (await res.json()) as T
    if (!res.ok) throw new Error(`control ${pathname} answered ${res.status}: ${JSON.stringify(json)}`)
    return json
  }
}
