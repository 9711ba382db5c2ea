import path from 'node:path'
import { defineConfig } from 'vitest/config'

const alias = { '@': path.resolve(import.meta.dirname, 'src') }
// expect.poll waits for its exact condition; the 1 s it allows by default is less than a notification or
// a worker's batch can take while the whole suite shares two cores, and waiting longer costs a passing test nothing.
const expect = { poll: { timeout: 15_000 } }

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          expect,
        },
      },
      // The security regression suite: every probe that once got through, kept so none can come back.
      {
        resolve: { alias },
        test: {
          name: 'security',
          include: ['tests/security/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          expect,
        },
      },
      // Timing-sensitive runs of the send engine: run alone (`npm run test:load`), never beside other files.
      {
        resolve: { alias },
        test: {
          name: 'load',
          include: ['tests/load/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
          expect,
        },
      },
    ],
  },
})
