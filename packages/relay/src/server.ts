import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { KeyResolver } from './auth.ts'
import { resolveConfig, type RelayOptions } from './config.ts'
import type { RelayContext } from './context.ts'
import type { FrameSink } from './frames.ts'
import { createHub } from './hub-setup.ts'
import { postgresCluster, singleNode } from './cluster.ts'
import { Dispatcher, type DispatcherOptions } from './dispatcher.ts'
import { EventWriter } from './event-writer.ts'
import { createLogger } from './log.ts'
import { RelayMetrics } from './metrics.ts'
import { ProjectConfigs } from './project-config.ts'
import { RateLimiter } from './rate-limit.ts'
import { Sender } from './send.ts'
import { SsrfGuard } from './ssrf.ts'
import { openStorage } from './storage/db.ts'
import { queueDepth } from './storage/deliveries.ts'
import { WebhookRegistry } from './webhook-registry.ts'

export interface StartOptions extends RelayOptions {
  /** Where stream frames go. @default the relay's own SSE hub (or `noFrames` before it exists) */
  frames?: FrameSink
  /** Dispatcher tuning (in-flight caps, flush interval). */
  dispatcher?: DispatcherOptions
}

/** A running relay. */
export interface RunningRelay {
  /** `http://host:port`, without a trailing slash. */
  url: string
  port: number
  adminToken: string
  /** Everything the routes share (storage, config, …), for tests and embedding. */
  context: RelayContext
  /**
   * Stops accepting connections, closes the open streams and the hub, stops the dispatcher
   * (writing the outcomes it holds), and closes storage last.
   */
  close(): Promise<void>
}

/**
 * Starts a relay: opens storage (migrating it), starts the dispatcher and listens.
 * Options override the environment (`HOOKLINE_*`, `DATABASE_URL`).
 * @example const relay = await startRelay({ port: 0, dataDir: tmp, dev: true })
 */
export async function startRelay(options: StartOptions = {}): Promise<RunningRelay> {
  const config = resolveConfig(options)
  const log = createLogger(config.log)
  const storage = await openStorage(config)
  const { db } = storage
  const keys = new KeyResolver(db)
  // ---- The frame sink: the stream hub replaces `noFrames` here. ----
  // A relay given another sink has no hub of its own to close.
  const hub = options.frames ? undefined : await createHub(storage, config.databaseUrl)
  const frames: FrameSink = options.frames ?? hub!
  const metrics = new RelayMetrics()
  const webhooks = new WebhookRegistry(db)
  const configs = new ProjectConfigs(db)
  const ssrf = new SsrfGuard(config.allowHosts)
  const sender = new Sender(ssrf)
  const dispatcher = new Dispatcher(
    { db, dialect: storage.dialect, log, frames, sender, metrics, webhooks },
    options.dispatcher,
  )
  const cluster =
    storage.dialect === 'postgres' && config.databaseUrl
      ? await postgresCluster(config.databaseUrl, {
          deliveriesDue: () => dispatcher.wake(),
          webhooksChanged: (projectId) => webhooks.dropCached(projectId),
          projectChanged: (projectId) => {
            keys.invalidate()
            configs.forget(projectId)
            webhooks.dropCached(projectId)
          },
        })
      : singleNode
  webhooks.onChange = (projectId) => cluster.webhooksChanged(projectId)
  metrics.gauge('hookline_delivery_queue_depth', 'Deliveries not finished yet (pending, held or sending).', () =>
    queueDepth(db),
  )
  const context: RelayContext = {
    config,
    storage,
    db,
    log,
    keys,
    frames,
    metrics,
    webhooks,
    dispatcher,
    ssrf,
    cluster,
    configs,
    eventWriter: new EventWriter(db),
    rateLimiter: new RateLimiter(config.rateLimit.perSecond, config.rateLimit.burst),
  }
  const app = createApp(context)
  await dispatcher.start()

  const server = await new Promise<Server>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(server as Server),
    )
    ;(server as Server).once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
  log.info('relay listening', { url, dataDir: config.dataDir, storage: storage.dialect, dev: config.dev })

  let closing: Promise<void> | undefined
  return {
    url,
    port,
    adminToken: config.adminToken,
    context,
    close: () =>
      (closing ??= (async () => {
        // 1. Stop accepting; requests under way may finish (their effects are committed before they answer).
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        // 2. Streams never finish on their own: the hub ends them (browsers reconnect elsewhere
        //    with Last-Event-ID), stops its timers and its LISTEN connection. Frames published
        //    after this are already stored and replay on reconnect.
        await hub?.close()
        // Whatever still holds a connection after a moment is cut off.
        const cutOff = setTimeout(() => server.closeAllConnections(), 100)
        await serverClosed
        clearTimeout(cutOff)
        // 3. The dispatcher writes the outcomes it holds and releases what it had not sent;
        //    attempts still in flight stay `sending` and are sent again on the next start.
        await dispatcher.stop()
        await cluster.close()
        sender.close()
        // 4. Storage last: everything above may still write to it.
        await storage.close()
        log.info('relay stopped')
      })()),
  }
}
