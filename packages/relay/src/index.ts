/**
 * @module
 * Hookline's relay: ingest, durable Standard Webhooks delivery, inbound webhooks and the SSE stream,
 * on Hono and SQLite (or PostgreSQL). Start it with `startRelay()` or `hookline-relay start`.
 */
export { startRelay } from './server.ts'
export type { RunningRelay, StartOptions } from './server.ts'
export { resolveConfig, DEV_ALLOW_HOSTS } from './config.ts'
export type { RelayConfig, RelayOptions } from './config.ts'
export { createApp } from './app.ts'
export { HttpError } from './errors.ts'
export { noFrames } from './frames.ts'
export type { FrameSink } from './frames.ts'
export type { RelayContext, RelayEnv } from './context.ts'
