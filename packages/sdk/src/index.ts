/**
 * @module
 * Hookline's browser SDK: named events on triggers (tap, screen, variable change), an IndexedDB
 * queue that survives reloads and going offline, optimistic variables, and a live stream of
 * variables back from the relay. Side-effect free: nothing runs until `createHookline`.
 */
export { createHookline } from './hookline.ts'
export { HooklineError, HooklineOptionsError, HooklineRelayError } from './errors.ts'
export { formatValue, parseSet } from './page/attribute-values.ts'
export type { HooklineOptions } from './options.ts'
export type { Hookline, HooklineStatus, LogEntry, TriggerSpec } from './types.ts'
