// `npx tsx bench/packages/run.ts [--rounds N]` (or `npm run bench -- packages`): what each published
// tarball weighs, and how long packing all five takes two ways, measured in the same run:
//   serial    what pack-check did before: `npm pack` one package after another, each prepack
//             building its own dist/ (the baseline)
//   parallel  what it does now: the five builds two at a time, then `npm pack` of the prebuilt
//             dist/ three at a time (HOOKLINE_PACK_PREBUILT=1)
//   reuse     what CI runs (`pack-check --reuse-build`, right after `npm run build`): the same
//             without the SDK's and the devtools' builds, which `npm run build` has just made
// Rounds alternate the two, so the machine's load falls on both alike; the figures are medians.
// Sizes come from `npm pack --json`: the gzipped tarball, and its unpacked bytes split into the
// built JavaScript and .d.ts users run (dist/ without maps), source maps, and the sources they point at.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')
const PACKAGES = ['sdk', 'relay', 'devtools', 'protocol', 'client']
const roundsArg = process.argv.indexOf('--rounds')
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3

type PackFile = { path: string; size: number }
type Packed = { name: string; size: number; unpackedSize: number; entryCount: number; files: PackFile[] }

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('close', (code) => (code === 0 ? done(out) : fail(new Error(`${command} ${args.join(' ')}: ${err}`))))
  })
}

async function pool<T>(tasks: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = []
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++
      results[index] = await tasks[index]!()
    }
  }
  await Promise.all(Array.from({ length: width }, lane))
  return results
}

const dir = (name: string): string => join(ROOT, 'packages', name)
const pack = (name: string, out: string, env: Record<string, string> = {}): Promise<Packed> =>
  run('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', out], dir(name), env).then(
    // npm prints the lifecycle scripts' output before the JSON on stdout.
    (said) => (JSON.parse(said.slice(said.indexOf('\n[') + 1)) as Packed[])[0]!,
  )

async function serial(out: string): Promise<Packed[]> {
  const packed: Packed[] = []
  for (const name of PACKAGES) packed.push(await pack(name, out))
  return packed
}

async function parallel(out: string, skip: string[] = []): Promise<Packed[]> {
  await pool(
    PACKAGES.filter((name) => !skip.includes(name)).map((name) => () => run('npm', ['run', 'build'], dir(name))),
    2,
  )
  return pool(
    PACKAGES.map((name) => () => pack(name, out, { HOOKLINE_PACK_PREBUILT: '1' })),
    3,
  )
}

async function timed(how: (out: string) => Promise<Packed[]>): Promise<{ seconds: number; packed: Packed[] }> {
  const out = mkdtempSync(join(tmpdir(), 'hookline-bench-pack-'))
  const started = performance.now()
  try {
    const packed = await how(out)
    return { seconds: (performance.now() - started) / 1000, packed }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`
const sum = (files: PackFile[], test: (path: string) => boolean): number =>
  files.filter((file) => test(file.path)).reduce((total, file) => total + file.size, 0)

const load = loadavg()[0]!.toFixed(1)
const MODES = {
  serial,
  parallel: (out: string) => parallel(out),
  reuse: (out: string) => parallel(out, ['sdk', 'devtools']),
}
type Mode = keyof typeof MODES
const times: Record<Mode, number[]> = { serial: [], parallel: [], reuse: [] }
let packed: Packed[] = []
for (let round = 0; round < ROUNDS; round++) {
  const modes = Object.keys(MODES) as Mode[]
  const order = round % 2 === 0 ? modes : [...modes].reverse()
  for (const how of order) {
    const result = await timed(MODES[how])
    times[how].push(result.seconds)
    packed = result.packed
    console.log(`round ${round + 1}: ${how} ${result.seconds.toFixed(1)} s`)
  }
}

console.log(`\nTarballs (npm pack --json):`)
console.log('| package | tarball (gzip) | unpacked | files | dist JS + .d.ts | source maps | sources |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const entry of packed) {
  const dist = sum(entry.files, (path) => path.startsWith('dist/') && !path.endsWith('.map'))
  const maps = sum(entry.files, (path) => path.endsWith('.map'))
  const sources = sum(entry.files, (path) => path.startsWith('src/'))
  const cells = [kib(entry.size), kib(entry.unpackedSize), entry.entryCount, kib(dist), kib(maps), kib(sources)]
  console.log(`| ${entry.name} | ${cells.join(' | ')} |`)
}
const baseline = median(times.serial)
console.log(`\nPacking all five, median of ${ROUNDS} rounds (load average ${load} at the start, 2 cores):`)
for (const how of Object.keys(MODES) as Mode[])
  console.log(
    `  ${how.padEnd(8)} ${median(times[how]).toFixed(1)} s   ${(median(times[how]) / baseline).toFixed(2)}× serial`,
  )
console.log(`Command: npx tsx bench/packages/run.ts --rounds ${ROUNDS}`)
