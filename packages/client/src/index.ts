/**
 * @module
 * A typed client for Hookline's admin API, on ky, for Node 20 and browsers. Request and answer
 * types are `@hookline/protocol`'s, the same schemas the relay validates with.
 */
export { createClient } from './client.ts'
export type { HooklineClient } from './client.ts'
export { HooklineApiError } from './error.ts'
export type { ClientOptions, Method, Query } from './transport.ts'
