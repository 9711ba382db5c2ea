// Every console error, uncaught exception and Content-Security-Policy violation of the pages watched,
// collected for a test to assert none.
import type { Page } from '@playwright/test'

export function collectConsoleErrors(page: Page, errors: string[] = []) {
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(e.message))
  // Registered before the caller's first navigation: Playwright sends its commands in order.
  void reportCspViolations(page).catch(() => {})
  return errors
}

/**
 * Turns every CSP violation in the page into a console error. Chromium usually logs one itself; the
 * `securitypolicyviolation` event is the signal the standard guarantees, and it names the directive.
 */
export async function reportCspViolations(page: Page) {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline code'} (${e.sourceFile || location.href}:${e.lineNumber})`),
    )
  })
}
