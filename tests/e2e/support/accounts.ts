// Helpers to create accounts through the public API, each with a unique email.
import { randomBytes } from 'node:crypto'
import type { APIRequestContext, Page } from '@playwright/test'

export const uniqueEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.test`
export const PASSWORD = 'e2e-password-123'
export const DEMO = { email: 'demo@conversa.local', password: 'conversa-demo' }

export async function signUpViaApi(request: APIRequestContext, label: string, tenantName = `${label} Ltd`) {
  const email = uniqueEmail(label)
  const res = await request.post('/api/auth/signup', { data: { email, password: PASSWORD, fullName: label, tenantName } })
  if (res.status() !== 201) throw new Error(`signup failed: ${res.status()} ${await res.text()}`)
  return { email, ...(await res.json()) as { userId: string; tenantId: string } }
}

export async function signInWithForm(page: Page, email: string, password: string) {
  await page.goto('/login')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL('**/inbox')
}
