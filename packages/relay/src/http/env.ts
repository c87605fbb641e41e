import type { HttpBindings } from '@hono/node-server'
import type { KeyScope } from '../domain/keys.ts'

/** Hono's environment for relay routes: node bindings, and the key a browser request resolved to. */
export type RelayEnv = {
  Bindings: HttpBindings
  Variables: { key: KeyScope }
}
