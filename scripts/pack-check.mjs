// `node scripts/pack-check.mjs` (run by .ci/run): the packages as a user gets them. Packs every
// public package, checks each tarball with publint and @arethetypeswrong/cli, installs the
// tarballs into examples/product-ui (copied outside the repository) and into a scratch server
// folder, type-checks the example with skipLibCheck off, builds it, starts the relay from its
// installed tarball (one plain node process), creates a project and a webhook with a 10-line
// script on the installed @hookline/client, and drives the built app in Chromium: a tap and a
// track() must arrive at a local endpoint as webhooks that `standardwebhooks` verifies.
// Downloads nothing but npm packages (most come from npm's cache). Ends with the tarball sizes and
// the time each step took.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, resolve } from 'node:path'
import { createRequire } from 'node:module'

const repo = resolve(import.meta.dirname, '..')
const PACKAGES = ['protocol', 'devtools', 'sdk', 'relay', 'client']
const scratch = mkdtempSync(join(tmpdir(), 'hookline-pack-'))
const tarballs = join(scratch, 'tarballs')
const timings = []
const cleanups = []
const requireFromRepo = createRequire(join(repo, 'package.json'))

async function step(name, run) {
  const started = performance.now()
  process.stdout.write(`\n== ${name}\n`)
  const result = await run()
  timings.push([name, (performance.now() - started) / 1000])
  return result
}

function sh(command, args, cwd, env = {}) {
  execFileSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } })
}

const npmQuiet = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']

function tarball(name) {
  return join(tarballs, `hookline-${name}-0.1.0.tgz`)
}

/** A package.json for a folder outside the repository that installs the tarballs as a user would. */
function consumer(dir, manifest) {
  const local = Object.fromEntries(PACKAGES.map((name) => [`@hookline/${name}`, `file:${tarball(name)}`]))
  const dependencies = { ...manifest.dependencies }
  for (const name of Object.keys(dependencies)) if (local[name]) dependencies[name] = local[name]
  // The tarballs' own dependencies on each other resolve to the tarballs too, never to the registry.
  const overrides = Object.fromEntries(Object.keys(local).map((name) => [name, local[name]]))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, dependencies, overrides }, null, 2))
}

/** better-sqlite3's binding, compiled once for the workspace, instead of fetching a prebuilt one. */
function copySqliteBinding(dir) {
  const from = join(repo, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')
  const to = join(dir, 'node_modules/better-sqlite3/build/Release')
  if (existsSync(join(to, 'better_sqlite3.node'))) return
  mkdirSync(to, { recursive: true })
  cpSync(from, join(to, 'better_sqlite3.node'))
}

function serveStatic(root) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' }
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const file = join(root, path === '/' ? 'index.html' : path)
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
    res.end(readFileSync(file))
  })
  return listen(server)
}

function listen(server) {
  return new Promise((resolveUrl) => {
    server.listen(0, '127.0.0.1', () => resolveUrl(`http://127.0.0.1:${server.address().port}`))
    cleanups.push(() => new Promise((done) => server.close(done)))
  })
}

function startInstalledRelay(dir, dataDir) {
  const bin = join(dir, 'node_modules/.bin/hookline-relay')
  const child = spawn(bin, ['start', '--dev', '--port', '0', '--data-dir', dataDir], {
    cwd: dir,
    env: { ...process.env, HOOKLINE_ADMIN_TOKEN: 'pack-check-admin-token-0123456789', HOOKLINE_LOG: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  cleanups.push(() => {
    child.kill('SIGTERM')
    return new Promise((done) => (child.exitCode === null ? child.once('exit', done) : done()))
  })
  return new Promise((resolveUrl, reject) => {
    let said = ''
    const timer = setTimeout(() => reject(new Error(`the relay did not start:\n${said}`)), 30_000)
    child.stderr.on('data', (chunk) => {
      said += chunk
      const url = /Hookline relay on (http:\/\/\S+)/.exec(said)?.[1]
      if (url) {
        clearTimeout(timer)
        resolveUrl({ url, pid: child.pid })
      }
    })
    child.once('exit', (code) => reject(new Error(`the relay exited (${code}):\n${said}`)))
  })
}

async function main() {
  mkdirSync(tarballs)
  const sizes = await step('pack every package (prepack builds dist/)', () =>
    PACKAGES.map((name) => {
      sh('npm', ['pack', '--pack-destination', tarballs, '--loglevel=warn'], join(repo, 'packages', name))
      return [name, statSync(tarball(name)).size]
    }),
  )

  await step('publint and @arethetypeswrong/cli on every tarball', async () => {
    const { publint } = await import(requireFromRepo.resolve('publint'))
    const { formatMessage } = await import(requireFromRepo.resolve('publint/utils'))
    let problems = 0
    for (const name of PACKAGES) {
      const bytes = readFileSync(tarball(name))
      const { messages, pkg } = await publint({ pack: { tarball: bytes.buffer }, level: 'warning', strict: true })
      for (const message of messages) console.log(`publint @hookline/${name}: ${formatMessage(message, pkg)}`)
      problems += messages.length
      const attw = join(repo, 'node_modules/.bin/attw')
      // ESM-only packages; the script-tag files are plain scripts, not modules with types.
      const exclude = ['./hookline.js', './loader.js', './hookline-devtools.js', './package.json', './dist/*']
      sh(
        attw,
        [tarball(name), '--profile', 'esm-only', '--format', 'table-flipped', '--exclude-entrypoints', ...exclude],
        repo,
      )
    }
    if (problems) throw new Error(`publint: ${problems} problem(s)`)
  })

  const server = join(scratch, 'server')
  const app = join(scratch, 'product-ui')
  await step('install the tarballs into a scratch server folder and the example', () => {
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
    sh('npm', ['install', '--ignore-scripts', ...npmQuiet], server)
    copySqliteBinding(server)
    cpSync(join(repo, 'examples/product-ui'), app, {
      recursive: true,
      filter: (path) => !/node_modules|dist/.test(path.slice(app.length)),
    })
    consumer(app, JSON.parse(readFileSync(join(repo, 'examples/product-ui/package.json'), 'utf8')))
    sh('npm', ['install', '--ignore-scripts', ...npmQuiet], app)
    // esbuild and rolldown ship their binaries as optional npm packages; nothing else to run.
  })

  await step('type-check (skipLibCheck false) the server side and the example, build the example', () => {
    // A Node program on the relay and the client: their .d.ts must resolve without the sources.
    writeFileSync(
      join(server, 'check.ts'),
      `import { startRelay, type RunningRelay } from '@hookline/relay'
import { createClient, HooklineApiError, type HooklineClient } from '@hookline/client'
import type { WebhookCreated } from '@hookline/protocol'
export async function check(): Promise<WebhookCreated> {
  const relay: RunningRelay = await startRelay({ port: 0, dev: true })
  const client: HooklineClient = createClient({ baseUrl: relay.url, token: relay.adminToken })
  const { project } = await client.projects.create({ name: 'x' })
  const created = await client.webhooks.create(project.id, { name: 'x', url: 'http://127.0.0.1:1', events: ['*'] })
  if (created.webhook.status === 'paused') throw new HooklineApiError(0, 'x', 'x')
  return created
}
`,
    )
    writeFileSync(
      join(server, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023'],
          types: ['node'],
          strict: true,
          skipLibCheck: false,
          noEmit: true,
        },
        files: ['check.ts'],
      }),
    )
    sh('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], server)
    sh('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], app)
    sh('npx', ['--no-install', 'vite', 'build', '--logLevel', 'warn'], app)
  })

  await step('the relay from its tarball, a client script, the app in Chromium', async () => {
    const received = []
    const endpoint = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        received.push({ headers: req.headers, body })
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      })
    })
    const hookUrl = `${await listen(endpoint)}/hook`
    const relay = await startInstalledRelay(server, join(scratch, 'relay-data'))
    // ps exits 1 when it lists nothing: no child process, which is the point.
    const ps = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(relay.pid)], { encoding: 'utf8' })
    if (ps.status === 0 && ps.stdout.trim())
      throw new Error(`the relay runs more than one process; its children:\n${ps.stdout}`)
    if (ps.status !== 0 && ps.status !== 1) throw new Error(`ps failed: ${ps.stderr}`)

    // The 10-line script a user writes, on the installed @hookline/client.
    writeFileSync(
      join(server, 'setup.mjs'),
      `import { createClient, HooklineApiError } from '@hookline/client'
const hookline = createClient({ baseUrl: process.argv[2], token: process.env.HOOKLINE_ADMIN_TOKEN })
const { project, keys } = await hookline.projects.create({ name: 'Shop' })
const { webhook, secret } = await hookline.webhooks.create(project.id, { name: 'CRM', url: process.argv[3], events: ['*'] })
const refused = await hookline.webhooks.create(project.id, { name: 'x', url: 'not a url', events: [] }).catch((error) => error)
if (!(refused instanceof HooklineApiError) || refused.status !== 400 || refused.code !== 'invalid_input') throw refused
console.log(JSON.stringify({ key: keys.test, webhookId: webhook.id, secret, refused: refused.message }))
`,
    )
    const setup = JSON.parse(
      execFileSync(process.execPath, ['setup.mjs', relay.url, hookUrl], {
        cwd: server,
        encoding: 'utf8',
        env: { ...process.env, HOOKLINE_ADMIN_TOKEN: 'pack-check-admin-token-0123456789' },
      }),
    )
    console.log(`client: webhook ${setup.webhookId}; a bad request threw HooklineApiError: ${setup.refused}`)

    const site = await serveStatic(join(app, 'dist'))
    const { chromium } = requireFromRepo('playwright-core')
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    })
    cleanups.push(() => browser.close())
    const page = await browser.newPage()
    const errors = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${site}/?relay=${encodeURIComponent(relay.url)}&key=${encodeURIComponent(setup.key)}`)
    await page.click('#add')
    await page.click('#pay')
    await page.click('#devtools')
    await page.waitForSelector('hookline-devtools', { state: 'attached', timeout: 10_000 })

    const deadline = Date.now() + 20_000
    const types = () => received.map(({ body }) => JSON.parse(body).type)
    while (!(types().includes('add-to-cart') && types().includes('checkout-completed')) && Date.now() < deadline)
      await new Promise((done) => setTimeout(done, 100))
    const { Webhook } = await import(createRequire(join(server, 'package.json')).resolve('standardwebhooks'))
    const verifier = new Webhook(setup.secret)
    for (const { headers, body } of received) verifier.verify(body, headers)
    if (errors.length) throw new Error(`the page threw: ${errors.join('; ')}`)
    for (const type of ['add-to-cart', 'checkout-completed'])
      if (!types().includes(type)) throw new Error(`no "${type}" webhook arrived (got ${types().join(', ') || 'none'})`)
    console.log(`webhooks verified with standardwebhooks: ${types().join(', ')}; the devtools chunk loaded`)
  })

  console.log('\nTarballs:')
  for (const [name, bytes] of sizes) console.log(`  @hookline/${name}  ${(bytes / 1024).toFixed(1)} KiB`)
  console.log('Time:')
  for (const [name, seconds] of timings) console.log(`  ${seconds.toFixed(1)} s  ${name}`)
  console.log(`  ${timings.reduce((sum, [, s]) => sum + s, 0).toFixed(1)} s  in all`)
}

let failed = false
try {
  await main()
  console.log('\npack-check: passed')
} catch (error) {
  failed = true
  console.error(`\npack-check: FAILED: ${error instanceof Error ? error.message : String(error)}`)
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  if (!process.env.HOOKLINE_KEEP_SCRATCH) rmSync(scratch, { recursive: true, force: true })
  else console.log(`scratch kept: ${scratch}`)
}
process.exit(failed ? 1 : 0)
