import type { Kysely } from 'kysely'
import type { ClusterSignal } from './cluster/signal.ts'
import type { RelayConfig } from './config.ts'
import type { Dispatcher } from './delivery/dispatcher.ts'
import type { OperationalEvents } from './delivery/operational-events.ts'
import type { SsrfGuard } from './delivery/ssrf.ts'
import type { KeyResolver } from './domain/keys.ts'
import type { Retention } from './domain/retention.ts'
import type { ProjectConfigs } from './domain/project-configs.ts'
import type { SessionTokens } from './domain/sessions.ts'
import type { WebhookRegistry } from './domain/webhook-registry.ts'
import type { InboundWriter } from './storage/inbound-writer.ts'
import type { ListenerCache } from './domain/listener-cache.ts'
import type { EventWriter } from './storage/event-writer.ts'
import type { Logger } from './observability/log.ts'
import type { RelayMetrics } from './observability/metrics.ts'
import type { Database } from './storage/schema.ts'
import type { SecretBox } from './storage/secret-box.ts'
import type { Storage } from './storage/types.ts'
import type { FrameSink } from './stream/frames.ts'
import type { StreamCaps } from './stream/caps.ts'
import type { Hub } from './stream/hub.ts'
import { HttpError } from './http/errors.ts'
import type { StreamKeyEnds } from './stream/key-ends.ts'
import type { AuthFailures } from './http/middleware/admin-auth/failures.ts'
import type { RateLimiter } from './http/middleware/rate-limit/index.ts'

/** Everything a route module needs, built once by `createRelay`. */
export interface RelayContext {
  config: RelayConfig
  storage: Storage
  db: Kysely<Database>
  /** Seals and opens the webhook and listener secrets kept in storage (the master key). */
  secrets: SecretBox
  log: Logger
  metrics: RelayMetrics
  /** Publishable keys → project and environment (cached). */
  keys: KeyResolver
  configs: ProjectConfigs
  /** Claimed sessions and their tokens (cached). */
  sessions: SessionTokens
  /** Ends the open streams of a publishable key once it stops working (a rotation's grace is over). */
  streamKeys: StreamKeyEnds
  webhooks: WebhookRegistry
  /** Listeners by id, for the inbound route (the admin routes drop what they change). */
  listeners: ListenerCache
  /** Tells other relay nodes (PostgreSQL) what changed; a no-op on one SQLite node. */
  cluster: ClusterSignal
  /** Where stream frames go: the hub, or the sink the relay was started with. */
  frames: FrameSink
  /** The relay's own SSE hub; undefined when it was started with another frame sink. */
  hub: Hub | undefined
  dispatcher: Dispatcher
  /** Emits the relay's own `hookline.` events into a project's pipeline. */
  operational: OperationalEvents
  /** Background pruning past `HOOKLINE_RETENTION_DAYS`. */
  retention: Retention
  /** Ingest's group commit. */
  eventWriter: EventWriter
  /** Inbound webhooks' group commit (receipt and frame). */
  inboundWriter: InboundWriter
  ssrf: SsrfGuard
  /** Ingest requests per key and client address. */
  rateLimiter: RateLimiter
  /** Ingested events per key and client address. */
  eventLimiter: RateLimiter
  /** Session claims, config loads and stream opens per key and client address. */
  connectLimiter: RateLimiter
  /** Inbound webhooks, per listener and (a second bucket of the same size) per client address. */
  inboundLimiter: { perListener: RateLimiter; perAddress: RateLimiter }
  /** The public documents per client address. */
  publicLimiter: RateLimiter
  /** Wrong admin and metrics tokens per client address. */
  authFailures: AuthFailures
  /** Open streams per publishable key and per client address. */
  streamCaps: StreamCaps
}

/** The relay's hub, or a 503 for a relay started with another frame sink (it has no stream). */
export function requireHub(ctx: Pick<RelayContext, 'hub'>): Hub {
  if (ctx.hub) return ctx.hub
  throw new HttpError(
    503,
    'stream_unavailable',
    'This relay was started without its stream hub, so it cannot serve the stream or inbound webhooks.',
  )
}
