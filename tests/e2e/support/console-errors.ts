// Every console error and uncaught exception of the pages watched, collected for a test to assert none.
import type { Page } from '@playwright/test'

export function collectConsoleErrors(page: Page, errors: string[] = []) {
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}
