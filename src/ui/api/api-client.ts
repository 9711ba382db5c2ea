// Browser-side fetch for our JSON API: same-origin cookies, and errors surfaced in our one error shape.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
  })
  const data = await res.json().catch(() => null)
  if (!res.ok) {
    const error = data?.error ?? {}
    throw new ApiError(res.status, error.code ?? 'internal', error.message ?? `Request failed (${res.status})`, error.details)
  }
  return data as T
}
