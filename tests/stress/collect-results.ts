// Turns the JSON reports of vitest and Playwright into one list of test outcomes.

export interface Outcome {
  name: string
  passed: boolean
  error?: string
}

interface VitestReport {
  testResults: {
    name: string
    status: string
    message?: string
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[]
  }[]
}

export function collectVitest(report: VitestReport): Outcome[] {
  const outcomes: Outcome[] = []
  for (const file of report.testResults) {
    const relative = file.name.replace(`${process.cwd()}/`, '')
    // A file that failed outside any test (a hook, an import) has a message of its own.
    if (file.status === 'failed' && file.message) outcomes.push({ name: `${relative} (file)`, passed: false, error: file.message })
    for (const test of file.assertionResults) {
      if (test.status !== 'passed' && test.status !== 'failed') continue
      outcomes.push({ name: `${relative} › ${test.fullName}`, passed: test.status === 'passed', error: test.failureMessages.join('\n') })
    }
  }
  return outcomes
}

interface PlaywrightSuite {
  title: string
  file?: string
  specs?: { title: string; file: string; line: number; tests: { results: { status: string; error?: { message?: string } }[] }[] }[]
  suites?: PlaywrightSuite[]
}

export function collectPlaywright(report: { suites: PlaywrightSuite[]; errors?: { message?: string }[] }): Outcome[] {
  const outcomes: Outcome[] = (report.errors ?? []).map((e) => ({ name: '(run)', passed: false, error: e.message }))
  const walk = (suite: PlaywrightSuite, titles: string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        for (const result of test.results) {
          if (result.status === 'skipped') continue
          const name = [`${spec.file}:${spec.line}`, ...titles, spec.title].join(' › ')
          outcomes.push({ name, passed: result.status === 'passed', error: result.error?.message ?? result.status })
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title])
  }
  // The top-level suites are files; their titles are the file names already in each spec.
  for (const suite of report.suites) walk(suite, [])
  return outcomes
}
