import type { HttpBindings } from '@hono/node-server'
import type { Kysely } from 'kysely'
import type { KeyResolver, KeyScope } from './auth.ts'
import type { RelayConfig } from './config.ts'
import type { FrameSink } from './frames.ts'
import type { Logger } from './log.ts'
import type { Database } from './storage/schema.ts'
import type { Storage } from './storage/db.ts'

/** Everything a route module needs, built once by `startRelay` (or `createApp` in tests). */
export interface RelayContext {
  config: RelayConfig
  storage: Storage
  db: Kysely<Database>
  log: Logger
  keys: KeyResolver
  frames: FrameSink
}

/** Hono's environment for relay routes: node bindings, and the key a browser request resolved to. */
export type RelayEnv = {
  Bindings: HttpBindings
  Variables: { key: KeyScope }
}
