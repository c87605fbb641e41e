import { defineConfig } from 'vitest/config'

// One config for every test: browser code runs in happy-dom (fast units; real Chromium e2e lives in
// test/e2e), Node code in node. Each project inherits the settings above it through `extends: true`.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'browser',
          environment: 'happy-dom',
          include: ['packages/{sdk,devtools}/**/*.test.{ts,tsx}', 'demo/**/*.test.{ts,tsx}'],
          // Stylesheets load empty in tests, except the dashboard's, whose text a test reads (?raw).
          css: { include: [/demo\/src\/styles\//] },
        },
      },
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['packages/{protocol,relay,client}/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
    ],
  },
})
