// Turns an API validation error's details into a field -> message map for forms.
import { ApiError } from '@/ui/api/api-client'

export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return {}
  const out: Record<string, string> = {}
  for (const d of error.details as { path: string; message: string }[]) out[d.path] ??= d.message
  return out
}
