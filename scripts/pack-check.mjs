// `node scripts/pack-check.mjs [--reuse-build] [--report FILE]` (run by .ci/run): the packages as
// a user gets them. Packs every public package, checks each tarball with publint and
// @arethetypeswrong/cli, and that none of its .d.ts files imports a package it does not declare,
// installs the tarballs into examples/product-ui (copied outside the
// repository, under the system's temp folder) and into a scratch server folder, type-checks both
// with skipLibCheck off, builds the example, imports startRelay() under plain node, starts the
// relay from its installed bin (one plain node process), runs a 10-line script on the installed
// @hookline/client, and drives the built app and a script-tag prototype in Chromium: taps and a
// track() must arrive as webhooks that `standardwebhooks` verifies.
//
// --reuse-build  packs the SDK's and the devtools' dist/ as `npm run build` just left them (CI runs
//                this right after it) instead of building them again; the others are built here.
// --report FILE  writes each step as a test result (vitest's JSON shape) for scripts/test-summary.mjs.
// Downloads nothing but npm packages (most from npm's cache). Ends with the tarball sizes and times.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { spawnSync } from 'node:child_process'
import { driveBrowsers } from './pack-check/browser.mjs'
import { writeClientSetup, writeEmbeddedStart, writePrototype, writeServerTypeCheck } from './pack-check/files.mjs'
import { cleanups, pool, recordingEndpoint, run, serveStatic, startInstalledRelay } from './pack-check/proc.mjs'
import { undeclaredTypeImports } from './pack-check/type-imports.mjs'

const repo = resolve(import.meta.dirname, '..')
// Longest build first, so the two lanes end together.
const PACKAGES = ['sdk', 'relay', 'devtools', 'protocol', 'client']
const BUILT_BY_NPM_RUN_BUILD = ['sdk', 'devtools']
const reuseBuild = process.argv.includes('--reuse-build')
const reportIndex = process.argv.indexOf('--report')
const reportFile = reportIndex > 0 ? resolve(process.argv[reportIndex + 1]) : null
const scratch = mkdtempSync(join(tmpdir(), 'hookline-pack-'))
const tarballs = join(scratch, 'tarballs')
const server = join(scratch, 'server')
const app = join(scratch, 'product-ui')
const ADMIN_TOKEN = 'pack-check-admin-token-0123456789'
// A linked install (each package sees only what it declares, as with pnpm): an import a package
// does not declare fails here, where a hoisted node_modules would find it by chance.
const npmInstall = [
  'install',
  '--install-strategy=linked',
  '--ignore-scripts',
  '--no-audit',
  '--no-fund',
  '--prefer-offline',
  '--loglevel=error',
]
const requireFromRepo = createRequire(join(repo, 'package.json'))
const steps = []
// Each step counts as one test in the report.
const STEPS = {
  pack: 'pack every package',
  lint: 'publint, @arethetypeswrong/cli and the .d.ts imports of every tarball',
  install: 'install the tarballs outside the repository',
  check: 'type-check (skipLibCheck off), vite build, startRelay() under plain node',
  e2e: 'the relay from its bin, a client script, the app and a prototype in Chromium',
}

const tarball = (name) => join(tarballs, `hookline-${name}-0.1.0.tgz`)

async function step(name, body) {
  const started = performance.now()
  process.stdout.write(`\n== ${name}\n`)
  try {
    const result = await body()
    steps.push({ name, status: 'passed', seconds: (performance.now() - started) / 1000 })
    return result
  } catch (error) {
    steps.push({ name, status: 'failed', seconds: (performance.now() - started) / 1000, message: error.message })
    throw error
  }
}

/** A package.json for a folder outside the repository that installs the tarballs as a user would. */
function consumer(dir, manifest) {
  const local = Object.fromEntries(PACKAGES.map((name) => [`@hookline/${name}`, `file:${tarball(name)}`]))
  const dependencies = { ...manifest.dependencies }
  for (const name of Object.keys(dependencies)) if (local[name]) dependencies[name] = local[name]
  // The tarballs' own dependencies on each other resolve to the tarballs too, never to the registry.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, dependencies, overrides: local }, null, 2))
}

/** better-sqlite3's binding, compiled once for the workspace, instead of fetching a prebuilt one. */
function copySqliteBinding(dir) {
  // Where the installed relay finds better-sqlite3 (inside npm's store, with a linked install).
  const fromRelay = createRequire(realpathSync(join(dir, 'node_modules/@hookline/relay/package.json')))
  const to = join(dirname(fromRelay.resolve('better-sqlite3/package.json')), 'build/Release')
  mkdirSync(to, { recursive: true })
  cpSync(join(repo, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), join(to, 'better_sqlite3.node'))
}

async function packAll() {
  const toBuild = PACKAGES.filter((name) => !(reuseBuild && BUILT_BY_NPM_RUN_BUILD.includes(name)))
  await pool(toBuild.map((name) => () => run('npm', ['run', 'build'], { cwd: join(repo, 'packages', name) })))
  // dist/ is fresh now: prepack only rewrites the manifest (and checks every entry point exists).
  await pool(
    PACKAGES.map(
      (name) => () =>
        run('npm', ['pack', '--pack-destination', tarballs, '--loglevel=warn'], {
          cwd: join(repo, 'packages', name),
          env: { HOOKLINE_PACK_PREBUILT: '1' },
          quiet: true,
        }),
    ),
    3,
  )
  return PACKAGES.map((name) => [name, statSync(tarball(name)).size])
}

async function lintTarballs() {
  const { publint } = await import(requireFromRepo.resolve('publint'))
  const { formatMessage } = await import(requireFromRepo.resolve('publint/utils'))
  const problems = []
  for (const name of PACKAGES) {
    const { messages, pkg } = await publint({
      pack: { tarball: readFileSync(tarball(name)).buffer },
      level: 'suggestion',
      strict: true,
    })
    for (const message of messages) problems.push(`publint @hookline/${name}: ${formatMessage(message, pkg)}`)
    // publint and attw read the entry points; a .d.ts beside them may still import what is not declared.
    const unpacked = join(scratch, 'unpacked', name)
    mkdirSync(unpacked, { recursive: true })
    await run('tar', ['-xzf', tarball(name), '-C', unpacked], { quiet: true })
    for (const found of undeclaredTypeImports(join(unpacked, 'package'), pkg))
      problems.push(`@hookline/${name}: ${found}, which its package.json does not declare`)
  }
  // ESM-only packages; the script-tag files are plain scripts, not modules with types.
  const exclude = ['./hookline.js', './hookline-live.js', './loader.js', './hookline-devtools.js', './package.json']
  const attw = join(repo, 'node_modules/.bin/attw')
  const args = (name) => [tarball(name), '--profile', 'esm-only', '--format', 'table-flipped']
  await pool(PACKAGES.map((name) => () => run(attw, [...args(name), '--exclude-entrypoints', ...exclude])))
  if (problems.length) throw new Error(problems.join('\n'))
}

async function install() {
  mkdirSync(server)
  consumer(server, {
    name: 'scratch-server',
    private: true,
    type: 'module',
    dependencies: {
      '@hookline/relay': '',
      '@hookline/client': '',
      '@hookline/protocol': '',
      standardwebhooks: '1.1.1',
    },
    // The server's own check.ts is type-checked against Node's types, as a team's server would be.
    devDependencies: { typescript: '5.9.3', '@types/node': '20.19.43' },
  })
  cpSync(join(repo, 'examples/product-ui'), app, {
    recursive: true,
    filter: (path) => !/node_modules|dist/.test(path.slice(join(repo, 'examples/product-ui').length)),
  })
  consumer(app, JSON.parse(readFileSync(join(repo, 'examples/product-ui/package.json'), 'utf8')))
  // No install scripts: esbuild and rolldown ship their binaries as optional packages, and
  // better-sqlite3's binding comes from the workspace's own build.
  await Promise.all([server, app].map((cwd) => run('npm', npmInstall, { cwd })))
  copySqliteBinding(server)
}

async function typeCheckAndBuild() {
  writeServerTypeCheck(server)
  writeEmbeddedStart(server)
  await pool([
    () => run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], { cwd: app }),
    () => run('npx', ['--no-install', 'vite', 'build', '--logLevel', 'warn'], { cwd: app }),
    () => run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], { cwd: server }),
    () => run(process.execPath, ['embedded.mjs', join(scratch, 'embedded-data')], { cwd: server }),
  ])
}

async function endToEnd() {
  const endpoint = await recordingEndpoint()
  const relay = await startInstalledRelay(server, { dataDir: join(scratch, 'relay-data'), adminToken: ADMIN_TOKEN })
  // ps exits 1 when it lists nothing: no child process, which is the point.
  const ps = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(relay.pid)], { encoding: 'utf8' })
  if (ps.status === 0 && ps.stdout.trim())
    throw new Error(`the relay runs more than one process; its children:\n${ps.stdout}`)
  if (ps.status !== 0 && ps.status !== 1) throw new Error(`ps failed: ${ps.stderr}`)

  writeClientSetup(server)
  const said = await run(process.execPath, ['setup.mjs', relay.url, endpoint.url], {
    cwd: server,
    env: { HOOKLINE_ADMIN_TOKEN: ADMIN_TOKEN },
    quiet: true,
  })
  const setup = JSON.parse(said)
  console.log(`client: webhook ${setup.webhookId}; a bad request threw HooklineApiError: ${setup.refused}`)

  const prototypeDir = join(scratch, 'prototype')
  mkdirSync(prototypeDir)
  // The script tag's files as a prototype hosts them: hookline.js, the live chunk it loads at start, the devtools.
  for (const file of ['hookline.js', 'hookline-live.js', 'hookline-devtools.js'])
    cpSync(join(app, 'node_modules/@hookline/sdk/dist', file), join(prototypeDir, file))
  writePrototype(prototypeDir, { relay: relay.url, key: setup.key })

  const verifierFrom = async (secret) => {
    const { Webhook } = createRequire(join(server, 'package.json'))('standardwebhooks')
    return new Webhook(secret)
  }
  const types = await driveBrowsers({
    app: await serveStatic(join(app, 'dist')),
    prototype: await serveStatic(prototypeDir),
    relay: relay.url,
    setup,
    endpoint,
    verifierFrom,
  })
  console.log(`webhooks verified with standardwebhooks: ${types.join(', ')}; both devtools chunks loaded`)
}

function writeReport(sizes) {
  const names = Object.values(STEPS)
  const ran = new Map(steps.map((result) => [result.name, result]))
  const results = names.map((name) => ran.get(name) ?? { name, status: 'pending' })
  const count = (status) => results.filter((result) => result.status === status).length
  const report = {
    numPassedTests: count('passed'),
    numFailedTests: count('failed'),
    numPendingTests: count('pending'),
    tarballBytes: Object.fromEntries(sizes ?? []),
    testResults: [
      {
        name: 'scripts/pack-check.mjs',
        status: count('failed') ? 'failed' : 'passed',
        assertionResults: results.map((result) => ({
          fullName: `pack-check: ${result.name}`,
          status: result.status,
          duration: result.seconds ? Math.round(result.seconds * 1000) : undefined,
          failureMessages: result.message ? [result.message] : [],
        })),
      },
    ],
  }
  writeFileSync(reportFile, JSON.stringify(report, null, 2))
}

let sizes
let failed = false
try {
  mkdirSync(tarballs)
  sizes = await step(STEPS.pack, packAll)
  await step(STEPS.lint, lintTarballs)
  await step(STEPS.install, install)
  await step(STEPS.check, typeCheckAndBuild)
  await step(STEPS.e2e, endToEnd)
  console.log('\nTarballs:')
  for (const [name, bytes] of sizes) console.log(`  @hookline/${name}  ${(bytes / 1024).toFixed(1)} KiB`)
  console.log('Time:')
  for (const { name, seconds } of steps) console.log(`  ${seconds.toFixed(1)} s  ${name}`)
  console.log(`  ${steps.reduce((sum, { seconds }) => sum + seconds, 0).toFixed(1)} s  in all`)
  console.log('\npack-check: passed')
} catch (error) {
  failed = true
  console.error(`\npack-check: FAILED: ${error instanceof Error ? error.message : String(error)}`)
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  if (reportFile) writeReport(sizes)
  if (!process.env.HOOKLINE_KEEP_SCRATCH) rmSync(scratch, { recursive: true, force: true })
  else console.log(`scratch kept: ${scratch}`)
}
process.exit(failed ? 1 : 0)
