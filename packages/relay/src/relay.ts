import type { Hono } from 'hono'
import { openNotifications, type Notifications } from './cluster/notifications.ts'
import { postgresCluster, singleNode, type ClusterSignal } from './cluster/signal.ts'
import { resolveConfig, type RelayOptions } from './config.ts'
import { Dispatcher, type DispatcherOptions } from './delivery/dispatcher.ts'
import { OperationalEvents } from './delivery/operational-events.ts'
import { Sender } from './delivery/send.ts'
import { SsrfGuard } from './delivery/ssrf.ts'
import { dropProjectCaches, type ProjectCaches } from './domain/invalidate.ts'
import { KeyResolver } from './domain/keys.ts'
import { Retention } from './domain/retention.ts'
import { ProjectConfigs } from './domain/project-configs.ts'
import { SessionTokens } from './domain/sessions.ts'
import { WebhookRegistry } from './domain/webhook-registry.ts'
import { createApp } from './app.ts'
import type { RelayContext } from './context.ts'
import type { RelayEnv } from './http/env.ts'
import { AuthFailures } from './http/middleware/admin-auth/failures.ts'
import { RateLimiter } from './http/middleware/rate-limit/index.ts'
import { InboundWriter } from './storage/inbound-writer.ts'
import { ListenerCache } from './domain/listener-cache.ts'
import { EventWriter } from './storage/event-writer.ts'
import { createLogger } from './observability/log.ts'
import { RelayMetrics } from './observability/metrics.ts'
import { openStorage } from './storage/db.ts'
import { loadMasterKey } from './storage/master-key.ts'
import { keyEnds } from './storage/projects.ts'
import { queueDepth } from './storage/delivery-queue.ts'
import type { Storage } from './storage/types.ts'
import { localBus } from './stream/bus/local.ts'
import { postgresBus } from './stream/bus/postgres.ts'
import { StreamCaps } from './stream/caps.ts'
import type { FrameSink } from './stream/frames.ts'
import { Hub } from './stream/hub.ts'
import { StreamKeyEnds } from './stream/key-ends.ts'
import { loadVarsMessage, streamFrameStore } from './stream/store.ts'

/** What `createRelay` accepts: the relay's options, plus what only code can hand over. */
export interface CreateRelayOptions extends RelayOptions {
  /** Where stream frames go. @default the relay's own SSE hub */
  frames?: FrameSink
  /** Dispatcher tuning (in-flight caps, flush interval). */
  dispatcher?: DispatcherOptions
}

/** A relay that does not listen: mount `app` anywhere, or call `app.request()` in a test. */
export interface Relay {
  /** The relay's HTTP app (Hono). */
  app: Hono<RelayEnv>
  /** Everything the routes share (storage, config, the hub, …), for tests and embedding. */
  context: RelayContext
  /** Starts delivering (recovering what was in flight when the relay last stopped). */
  start(): Promise<void>
  /** Ends the open streams and stops the hub (browsers reconnect elsewhere with Last-Event-ID). Once. */
  endStreams(): Promise<void>
  /**
   * Ends the streams (if `endStreams` was not called), stops the dispatcher (writing the outcomes
   * it holds; attempts still in flight are sent again on the next start), lets go of the other
   * nodes, and closes storage last. Calling it again returns the same promise.
   */
  close(): Promise<void>
}

/**
 * Builds a relay: resolves its options (over the environment: `HOOKLINE_*`, `DATABASE_URL`), opens
 * storage (migrating it) and, on PostgreSQL, the node's one LISTEN connection; nothing listens and
 * nothing is delivered until `start()`. `startRelay` adds the HTTP server.
 * @example
 * const relay = await createRelay({ dataDir: tmp, dev: true, log: false })
 * const res = await relay.app.request('/healthz')
 * await relay.close()
 */
export async function createRelay(options: CreateRelayOptions = {}): Promise<Relay> {
  const { context, notifications, sender } = await openContext(options)
  const { hub, dispatcher, cluster, storage, log } = context
  let streamsEnded: Promise<void> | undefined
  let closing: Promise<void> | undefined
  const endStreams = () => (streamsEnded ??= hub?.close() ?? Promise.resolve())
  return {
    app: createApp(context),
    context,
    start: async () => {
      await dispatcher.start()
      context.retention.start()
    },
    endStreams,
    close: () =>
      (closing ??= (async () => {
        await endStreams()
        context.streamKeys.stop()
        await context.retention.stop()
        await dispatcher.stop()
        await cluster.close()
        await notifications?.close()
        sender.close()
        // Storage last: everything above may still write to it.
        await storage.close()
        log.info('relay stopped')
      })()),
  }
}

/** Everything the routes share, built once; and what only closing needs besides. */
async function openContext(
  options: CreateRelayOptions,
): Promise<{ context: RelayContext; notifications: Notifications | undefined; sender: Sender }> {
  const config = resolveConfig(options)
  const log = createLogger(config.log)
  const secrets = loadMasterKey(config.dataDir, config.masterKey, config.previousMasterKeys)
  const storage = await openStorage({ ...config, secrets })
  if (storage.dialect === 'postgres' && !config.masterKey) {
    // Another node with a key file of its own would refuse to start (it cannot open the secrets).
    log.warn('set HOOKLINE_MASTER_KEY on every node sharing this database', { masterKeyFile: secrets.source })
  }
  const { db } = storage
  const notifications = storage.dialect === 'postgres' ? await openNotifications(storage.target) : undefined
  const caches: ProjectCaches = {
    keys: new KeyResolver(db),
    configs: new ProjectConfigs(db),
    webhooks: new WebhookRegistry(db, secrets),
    sessions: new SessionTokens(db, storage.dialect),
    streamKeys: new StreamKeyEnds(
      (hashes) => keyEnds(db, hashes),
      (error) => {
        log.warn('could not read when the keys of open streams end', { error: String(error) })
      },
    ),
  }
  const { webhooks } = caches
  // A relay given another sink has no hub of its own.
  const { frames, hub } = options.frames
    ? { frames: options.frames, hub: undefined }
    : await openHub(storage, notifications).then((own) => ({ frames: own, hub: own }))
  const metrics = new RelayMetrics()
  const ssrf = new SsrfGuard(config.allowHosts)
  const sender = new Sender(ssrf)
  const dispatcher = new Dispatcher(
    { db, dialect: storage.dialect, log, frames, sender, metrics, webhooks },
    options.dispatcher,
  )
  const cluster = await openCluster(storage, notifications, caches, dispatcher)
  webhooks.onChange = (projectId) => {
    cluster.webhooksChanged(projectId)
  }
  metrics.gauge('hookline_delivery_queue_depth', 'Deliveries not finished yet (pending, held or sending).', () =>
    queueDepth(db),
  )
  metrics.gauge('hookline_stream_connections', 'Open SSE connections on this relay node.', () =>
    Promise.resolve(hub?.connections ?? 0),
  )
  const eventWriter = new EventWriter(db)
  const operational = new OperationalEvents({
    webhooks,
    eventWriter,
    notify: (ids) => {
      dispatcher.notify(ids)
    },
    cluster,
    log,
  })
  dispatcher.onNotice = (notice) => void operational.emit(notice)
  const context: RelayContext = {
    ...caches,
    config,
    storage,
    db,
    secrets,
    log,
    metrics,
    listeners: new ListenerCache(db, secrets),
    cluster,
    frames,
    hub,
    dispatcher,
    eventWriter,
    operational,
    retention: new Retention(db, log, config.retentionDays),
    inboundWriter: new InboundWriter(db),
    ssrf,
    rateLimiter: new RateLimiter(config.rateLimit.perSecond, config.rateLimit.burst),
    eventLimiter: new RateLimiter(config.eventRateLimit.perSecond, config.eventRateLimit.burst),
    connectLimiter: new RateLimiter(config.connectRateLimit.perSecond, config.connectRateLimit.burst),
    inboundLimiter: {
      perListener: new RateLimiter(config.inboundRateLimit.perSecond, config.inboundRateLimit.burst),
      perAddress: new RateLimiter(config.inboundRateLimit.perSecond, config.inboundRateLimit.burst),
    },
    publicLimiter: new RateLimiter(config.publicRateLimit.perSecond, config.publicRateLimit.burst),
    authFailures: new AuthFailures(new RateLimiter(config.authFailureLimit.perSecond, config.authFailureLimit.burst)),
    streamCaps: new StreamCaps(config.streams),
  }
  return { context, notifications, sender }
}

/** The relay's hub on its storage: frames cross nodes by LISTEN/NOTIFY on PostgreSQL, by a call on SQLite. */
async function openHub(storage: Storage, notifications: Notifications | undefined): Promise<Hub> {
  const { db } = storage
  const bus =
    storage.dialect === 'postgres' && notifications
      ? await postgresBus(notifications, storage.target.schema, (reference) => loadVarsMessage(db, reference))
      : localBus()
  return new Hub({ store: streamFrameStore(db), bus })
}

/** What this node tells the others, and what it does when they tell it something. */
function openCluster(
  storage: Storage,
  notifications: Notifications | undefined,
  caches: ProjectCaches,
  dispatcher: Dispatcher,
): Promise<ClusterSignal> {
  if (storage.dialect !== 'postgres' || !notifications) return Promise.resolve(singleNode)
  return postgresCluster(notifications, storage.target.schema, {
    deliveriesDue: () => {
      dispatcher.wake()
    },
    webhooksChanged: (projectId) => {
      caches.webhooks.dropCached(projectId)
    },
    projectChanged: (projectId) => {
      dropProjectCaches(caches, projectId)
    },
  })
}
