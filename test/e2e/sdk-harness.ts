// Shared by the SDK's end-to-end suites (test/e2e/sdk-*.test.ts): the built script-tag bundle,
// a real relay, a real recording endpoint and pages served over HTTP on 127.0.0.1.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint.ts'
import { startTestRelay, type TestProject, type TestRelay } from '../helpers/relay.ts'
import { serveStatic, type StaticServer } from '../helpers/static-server.ts'

const sdk = join(dirname(fileURLToPath(import.meta.url)), '../../packages/sdk')
export const SDK_DIST = join(sdk, 'dist')

function newest(dir: string): number {
  let time = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return time
}

function stale(): boolean {
  const built = join(SDK_DIST, 'hookline.js')
  if (!existsSync(built) || !existsSync(join(SDK_DIST, 'loader.js'))) return true
  const sources = Math.max(
    newest(join(sdk, 'src')),
    newest(join(sdk, '../protocol/src')),
    statSync(join(sdk, 'scripts/build.mjs')).mtimeMs,
  )
  return statSync(built).mtimeMs < sources
}

/**
 * Builds the SDK (without type declarations) when `dist/` is missing or older than its sources, so
 * the suites run from a fresh clone with no prior build. A lock directory keeps parallel suites
 * from building at once.
 */
export async function ensureSdkBuild(): Promise<void> {
  if (!stale()) return
  const lock = join(tmpdir(), `hookline-sdk-build-${createHash('sha1').update(sdk).digest('hex').slice(0, 12)}.lock`)
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true })
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  try {
    if (stale()) execFileSync(process.execPath, [join(sdk, 'scripts/build.mjs'), '--no-types'], { stdio: 'inherit' })
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

export interface SdkStack {
  relay: TestRelay
  project: TestProject
  endpoint: TestEndpoint
  webhook: { id: string }
  secret: string
  site: StaticServer
  close(): Promise<void>
}

/** A relay with a project and one webhook (every event) to a recording endpoint, and a static site serving `dist/` plus `pages`. */
export async function startSdkStack(
  pages: (relay: TestRelay, key: string) => Record<string, string>,
): Promise<SdkStack> {
  await ensureSdkBuild()
  const relay = await startTestRelay()
  const project = await relay.createProject({ name: 'SDK e2e' })
  const endpoint = await startEndpoint({ status: 200 })
  const { webhook, secret } = await relay.createWebhook(project.projectId, {
    url: `${endpoint.url}/hook`,
    retry: { maxAttempts: 1 },
  })
  const site = await serveStatic({ root: SDK_DIST, pages: pages(relay, project.keys.test) })
  return {
    relay,
    project,
    endpoint,
    webhook,
    secret,
    site,
    async close() {
      await site.close()
      await endpoint.close()
      await relay.close()
    },
  }
}

/** A page wired only with HTML attributes and the script tag. */
export function scriptTagPage(relayUrl: string, key: string, body: string, script = 'hookline.js'): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>sdk e2e</title>
<script src="/${script}" data-relay="${relayUrl}" data-key="${key}" async></script></head>
<body>${body}</body></html>`
}

/** Waits until the script tag has started Hookline and its queue storage is open. */
export async function sdkReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const hl = (window as unknown as { hookline?: { sessionId?: string } }).hookline
    return typeof hl?.sessionId === 'string'
  })
}

/** The Hookline status of the page (see `HooklineStatus`). */
export function status(
  page: Page,
): Promise<{ queued: number; sender: boolean; stream: string; storage: string; online: boolean }> {
  return page.evaluate(() => (window as unknown as { hookline: { status: { get(): never } } }).hookline.status.get())
}

/**
 * Serves the site's pages and `dist/` files from the test itself (`context.route`), so pages still
 * load and reload while the browser is offline (as an app shell from a cache would); requests to
 * anything else, the relay included, go to the network and fail while offline.
 */
export async function serveFromTest(
  context: BrowserContext,
  origin: string,
  pages: Record<string, string>,
): Promise<void> {
  // A fulfilled document has no network address, so Chromium's Local Network Access treats it as
  // public and blocks its requests to the relay on 127.0.0.1 unless the context is allowed to.
  await context.grantPermissions(['local-network-access'])
  await context.route(
    (url) => url.origin === origin,
    async (route) => {
      const path = new URL(route.request().url()).pathname
      if (pages[path] !== undefined)
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: pages[path] })
      const file = join(SDK_DIST, path)
      if (file.startsWith(SDK_DIST) && existsSync(file) && statSync(file).isFile())
        return route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', path: file })
      return route.fulfill({ status: 404, body: 'not found' })
    },
  )
}
