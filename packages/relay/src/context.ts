import type { HttpBindings } from '@hono/node-server'
import type { Kysely } from 'kysely'
import type { KeyResolver, KeyScope } from './auth.ts'
import type { RelayConfig } from './config.ts'
import type { ClusterSignal } from './cluster.ts'
import type { Dispatcher } from './dispatcher.ts'
import type { EventWriter } from './event-writer.ts'
import type { FrameSink } from './frames.ts'
import type { Logger } from './log.ts'
import type { RelayMetrics } from './metrics.ts'
import type { ProjectConfigs } from './project-config.ts'
import type { RateLimiter } from './rate-limit.ts'
import type { SsrfGuard } from './ssrf.ts'
import type { Database } from './storage/schema.ts'
import type { Storage } from './storage/db.ts'
import type { WebhookRegistry } from './webhook-registry.ts'

/** Everything a route module needs, built once by `startRelay`. */
export interface RelayContext {
  config: RelayConfig
  storage: Storage
  db: Kysely<Database>
  log: Logger
  /** Publishable keys → project and environment (cached). */
  keys: KeyResolver
  frames: FrameSink
  metrics: RelayMetrics
  webhooks: WebhookRegistry
  configs: ProjectConfigs
  dispatcher: Dispatcher
  /** Tells other relay nodes (PostgreSQL) what changed; a no-op on one SQLite node. */
  cluster: ClusterSignal
  /** Ingest's group commit. */
  eventWriter: EventWriter
  ssrf: SsrfGuard
  rateLimiter: RateLimiter
}

/** Hono's environment for relay routes: node bindings, and the key a browser request resolved to. */
export type RelayEnv = {
  Bindings: HttpBindings
  Variables: { key: KeyScope }
}
