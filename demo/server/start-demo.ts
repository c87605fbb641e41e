import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startRelay, type StartOptions } from '@hookline/relay'
import { startDemoServer } from './demo-server.ts'
import { startFulfillment } from './mock-fulfillment.ts'
import { seedDemo } from './seed.ts'

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)))

export interface StartDemoOptions {
  /** 0 everywhere picks free ports (tests); `npm start` uses fixed ones. */
  ports?: { relay?: number; demo?: number; mock?: number }
  /** @default HOOKLINE_DATA_DIR or ./.hookline */
  dataDir?: string
  /** Time between the mock's order steps, in ms. @default 1500 */
  stepMs?: number
  /** Relay log lines on stdout. @default false */
  relayLog?: boolean
  /** Where the built files are, when not in the packages' own `dist/` (tests build privately). @default BUILT */
  built?: typeof BUILT
  /** The relay's delivery options; tests make recovery probes fast with `probeScheduleMs` and `probeTickMs`. */
  dispatcher?: StartOptions['dispatcher']
  log?: (line: string) => void
}

/** The built files the demo serves; `npm run build` makes them. */
export const BUILT = {
  demo: join(repo, 'demo/dist'),
  sdk: join(repo, 'packages/sdk/dist/hookline.js'),
  live: join(repo, 'packages/sdk/dist/hookline-live.js'),
  loader: join(repo, 'packages/sdk/dist/loader.js'),
  devtools: join(repo, 'packages/devtools/dist/hookline-devtools.js'),
}

/**
 * Everything `npm start` runs, in one process: the relay in dev mode (loopback webhook URLs
 * allowed) on SQLite, the mock fulfillment service, the seeded demo project and the demo server.
 */
export async function startDemo(options: StartDemoOptions = {}) {
  const built = options.built ?? BUILT
  const missing = Object.values(built).filter((path) => !existsSync(path))
  if (missing.length) throw new Error(`Build first (npm run build); missing: ${missing.join(', ')}`)
  const log = options.log ?? (() => {})
  const dataDir = resolve(options.dataDir ?? process.env.HOOKLINE_DATA_DIR ?? '.hookline')

  const mock = await startFulfillment({ port: options.ports?.mock ?? 0, stepMs: options.stepMs ?? 1500, log })
  const relay = await startRelay({
    port: options.ports?.relay ?? 0,
    dataDir,
    dev: true,
    log: options.relayLog ?? false,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  })
  try {
    const project = await seedDemo({
      relayUrl: relay.url,
      adminToken: relay.adminToken,
      ordersUrl: mock.ordersUrl,
      stateFile: join(dataDir, 'demo.json'),
    })
    mock.setInbound({ url: relay.url + project.listenerPath, secret: project.listenerSecret })
    const demo = await startDemoServer({
      port: options.ports?.demo ?? 0,
      root: built.demo,
      scripts: {
        '/hookline.js': built.sdk,
        '/hookline-live.js': built.live,
        '/loader.js': built.loader,
        '/hookline-devtools.js': built.devtools,
      },
      adminToken: relay.adminToken,
      listener: { id: project.listenerId, secret: project.listenerSecret },
      config: {
        relayUrl: relay.url,
        projectId: project.projectId,
        testKey: project.testKey,
        listener: { id: project.listenerId },
        mockUrl: mock.ordersUrl,
      },
    })
    return {
      url: demo.url,
      /** The URL to open: the dashboard, with this start's secret (traded for a cookie at once). */
      openUrl: demo.openUrl,
      relay,
      mock,
      project,
      adminTokenGenerated: relay.context.config.adminTokenGenerated,
      close: async () => {
        await demo.close()
        await mock.close()
        await relay.close()
      },
    }
  } catch (error) {
    await mock.close()
    await relay.close()
    throw error
  }
}
