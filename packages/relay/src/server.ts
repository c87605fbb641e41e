import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { connectionLimits, guardConnections, jsonClientErrors } from './http/connection-guard.ts'
import { createRelay, type CreateRelayOptions } from './relay.ts'
import type { RelayContext } from './context.ts'

/** What `startRelay` accepts: `createRelay`'s options; `port` and `host` say where to listen. */
export type StartOptions = CreateRelayOptions

/** A running relay. */
export interface RunningRelay {
  /** `http://host:port`, without a trailing slash. */
  url: string
  port: number
  adminToken: string
  /** Everything the routes share (storage, config, the hub, …), for tests and embedding. */
  context: RelayContext
  /**
   * Stops accepting connections, closes the open streams and the hub, stops the dispatcher
   * (writing the outcomes it holds), and closes storage last.
   */
  close(): Promise<void>
}

/**
 * Starts a relay: `createRelay`, then starts delivering and listens.
 * Options override the environment (`HOOKLINE_*`, `DATABASE_URL`).
 * @example const relay = await startRelay({ port: 0, dataDir: tmp, dev: true })
 */
export async function startRelay(options: StartOptions = {}): Promise<RunningRelay> {
  const relay = await createRelay(options)
  const { context } = relay
  const { config, log } = context
  await relay.start()
  const server = await listen(relay.app.fetch, config.port, config.host)
  // A slow request (headers or body) is cut off; a stream's socket leaves the server once its head is out.
  server.headersTimeout = Math.min(config.requestTimeoutMs, 20_000)
  server.requestTimeout = config.requestTimeoutMs
  const limits = connectionLimits(config.connections)
  guardConnections(server, limits)
  jsonClientErrors(server)
  const { port } = server.address() as AddressInfo
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
  log.info('relay listening', {
    url,
    dataDir: config.dataDir,
    storage: context.storage.dialect,
    dev: config.dev,
    connections: limits,
  })

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
        //    with Last-Event-ID), stops its timers and its bus. Frames published after this are
        //    already stored and replay on reconnect.
        await relay.endStreams()
        // Whatever still holds a connection after a moment is cut off.
        const cutOff = setTimeout(() => server.closeAllConnections(), 100)
        await serverClosed
        clearTimeout(cutOff)
        // 3. The dispatcher, the other nodes, and storage last (see `Relay.close`).
        await relay.close()
      })()),
  }
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string) {
  return new Promise<Server>((resolve, reject) => {
    // Timeouts are checked every second rather than Node's 30 s, so a slow body is cut near its deadline.
    const serverOptions = { connectionsCheckingInterval: 1000 }
    const server = serve({ fetch, port, hostname, serverOptions }, () => resolve(server as Server))
    ;(server as Server).once('error', reject)
  })
}
