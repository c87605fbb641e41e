// `npm run bench`: runs each benchmark in bench/<name>/run.ts in turn (or only those named:
// `npm run bench -- relay sdk`). Each prints its figures and the command that reproduces them.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'

const wanted = process.argv.slice(2)
const all = readdirSync('bench', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`bench/${entry.name}/run.ts`))
  .map((entry) => entry.name)
const names = wanted.length ? wanted : all
if (names.length === 0) {
  console.error('No benchmarks yet: bench/<name>/run.ts holds each one.')
  process.exit(1)
}
for (const name of names) {
  console.log(`\n== bench/${name}`)
  execFileSync('npx', ['tsx', `bench/${name}/run.ts`], { stdio: 'inherit' })
}
