// Reads vitest's JSON report, and any other report in its shape (scripts/pack-check.mjs --report),
// and prints the closing line CI looks for: "N passed, N failed, N skipped", summed over them.
// `node scripts/test-summary.mjs [report.json …]` (default .vitest-results.json).
// Exits non-zero when a report is missing, nothing ran, or anything failed.
import { readFileSync } from 'node:fs'

const files = process.argv.length > 2 ? process.argv.slice(2) : ['.vitest-results.json']
let passed = 0
let failed = 0
let skipped = 0
for (const file of files) {
  let report
  try {
    report = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    // A missing report is a step that never finished: one failure, said plainly.
    console.log(`FAILED no test report at ${file}: ${error.message}`)
    failed += 1
    continue
  }
  passed += report.numPassedTests ?? 0
  failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0)
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status === 'failed') console.log(`FAILED ${test.fullName}`)
    }
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0)
      console.log(`FAILED to run ${suite.name}: ${String(suite.message).slice(0, 500)}`)
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
