import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { startDemo, type StartDemoOptions } from '@hookline/demo/server'
import { launchChromium } from '../helpers/chromium.ts'
import { closeOpened } from '../helpers/close.ts'
import { buildDemoPrivately } from '../helpers/demo-build.ts'
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint.ts'

// The dashboard suites' one way of setting up: the demo (relay, mock service, seeded project and
// demo server, its files built privately) in a fresh data dir, real Chromium, and, when asked, a
// dashboard page and an open prototype page; all closed and removed after the file.

/** Where every dashboard suite's screenshots go. */
export const SHOTS = join(process.cwd(), 'test-results/demo')
export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }

type Demo = Awaited<ReturnType<typeof startDemo>>

export interface DemoFixtureOptions {
  /** Names the temporary data dir (`hookline-<name>-…`). */
  name: string
  /** Time between the mock service's order steps, in ms. */
  stepMs: number
  dispatcher?: StartDemoOptions['dispatcher']
  /**
   * A dashboard page at desktop size, opened once for the file. `bypassCSP` lets axe-core in as an
   * inline script (the CSP itself is checked in demo-webhook-controls and demo-designer).
   */
  dashboard?: { bypassCSP: boolean }
  /** A prototype page at phone size, opened once, its SDK started (for `fire`). */
  prototype?: boolean
}

export interface DemoFixture {
  readonly demo: Demo
  readonly browser: Browser
  /** The page `options.dashboard` asked for. */
  readonly dashboard: Page
  /** The page `options.prototype` asked for. */
  readonly prototype: Page
  /** The dashboard at `route` through the token link `npm start` prints (traded for a cookie at once). */
  link: (route: string) => string
  /** A full-page screenshot into test-results/demo/. */
  shot: (page: Page, name: string) => Promise<Buffer>
  /** A recording endpoint, closed after the file. */
  endpoint: (...args: Parameters<typeof startEndpoint>) => Promise<TestEndpoint>
  /** Fires an event from the open prototype, through the SDK, as a tap would; returns its id. */
  fire: (name: string, props: Record<string, unknown>) => Promise<string>
  /** A GET of the demo project's admin API (`/events?limit=100` is `/v1/projects/:pid/events?limit=100`), as JSON. */
  admin: <T>(path: string) => Promise<T>
}

/** The page's SDK has started: `window.hookline.status` exists. */
export const sdkStarted = (page: Page) =>
  page.waitForFunction(() => (window as { hookline?: { status?: unknown } }).hookline?.status !== undefined)

/** Registers the file's beforeAll and afterAll; what it opens is read from the answer inside tests. */
export function useDemo(options: DemoFixtureOptions): DemoFixture {
  const opened: { demo?: Demo; browser?: Browser; dashboard?: Page; prototype?: Page; dataDir?: string } = {}
  const endpoints: TestEndpoint[] = []
  const need = <K extends 'demo' | 'browser' | 'dashboard' | 'prototype'>(key: K) => {
    const value = opened[key]
    if (!value) throw new Error(`The demo fixture has no ${key}: it did not start, or was not asked for one.`)
    return value as NonNullable<(typeof opened)[K]>
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    const dataDir = mkdtempSync(join(tmpdir(), `hookline-${options.name}-`))
    opened.dataDir = dataDir
    opened.demo = await startDemo({
      dataDir,
      stepMs: options.stepMs,
      built: buildDemoPrivately(join(dataDir, 'built')),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    })
    opened.browser = await launchChromium()
    if (options.dashboard)
      opened.dashboard = await opened.browser.newPage({ viewport: DESKTOP, bypassCSP: options.dashboard.bypassCSP })
    if (options.prototype) {
      const prototype = await opened.browser.newPage({ viewport: PHONE })
      await prototype.goto(`${opened.demo.url}/prototype/#product`)
      await sdkStarted(prototype)
      opened.prototype = prototype
    }
  }, 90_000)

  afterAll(async () => {
    await closeOpened(opened.browser, opened.demo, ...endpoints)
    if (opened.dataDir) rmSync(opened.dataDir, { recursive: true, force: true })
  })

  return {
    get demo() {
      return need('demo')
    },
    get browser() {
      return need('browser')
    },
    get dashboard() {
      return need('dashboard')
    },
    get prototype() {
      return need('prototype')
    },
    link: (route) => `${need('demo').openUrl}#/${route}`,
    shot: (page, name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }),
    endpoint: async (...args) => {
      const started = await startEndpoint(...args)
      endpoints.push(started)
      return started
    },
    fire: (name, props) =>
      need('prototype').evaluate(
        ([name, props]) =>
          (window as unknown as { hookline: { track(n: string, p: object): string } }).hookline.track(name, props),
        [name, props] as const,
      ),
    admin: async <T>(path: string) => {
      const { relay, project } = need('demo')
      const answer = await fetch(`${relay.url}/v1/projects/${project.projectId}${path}`, {
        headers: { authorization: `Bearer ${relay.adminToken}` },
      })
      if (!answer.ok) throw new Error(`GET ${path}: ${answer.status} ${await answer.text()}`)
      return (await answer.json()) as T
    },
  }
}
