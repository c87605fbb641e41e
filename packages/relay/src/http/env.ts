import type { IncomingMessage, ServerResponse } from 'node:http'
import type { KeyScope } from '../domain/keys.ts'

/**
 * What @hono/node-server's `serve` passes as the environment (its `HttpBindings`), spelled out
 * here: its own .d.ts names the DOM's `RequestInfo`, which a Node program's types lack, so a
 * published .d.ts that imported it would fail a user's type-check with skipLibCheck off.
 */
export type NodeBindings = {
  incoming: IncomingMessage
  outgoing: ServerResponse
}

/** Hono's environment for relay routes: node bindings, and the key a browser request resolved to. */
export type RelayEnv = {
  Bindings: NodeBindings
  Variables: { key: KeyScope }
}
