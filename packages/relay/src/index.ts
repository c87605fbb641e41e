/**
 * @module
 * Hookline's relay: ingest, durable Standard Webhooks delivery, inbound webhooks and the SSE stream,
 * on Hono and SQLite (or PostgreSQL). Start it with `startRelay()` or `hookline-relay start`; build
 * one without listening with `createRelay()`.
 */
export { createRelay } from './relay.ts'
export type { CreateRelayOptions, Relay } from './relay.ts'
export { startRelay } from './server.ts'
export type { RunningRelay, StartOptions } from './server.ts'
export { resolveConfig, DEV_ALLOW_HOSTS } from './config.ts'
export type { RelayConfig, RelayOptions } from './config.ts'
export { createApp } from './app.ts'
export { openApiDocument } from './openapi/document.ts'
export { HttpError } from './http/errors.ts'
export type { RelayContext } from './context.ts'
export type { RelayEnv } from './http/env.ts'
export type { DispatcherOptions } from './delivery/dispatcher.ts'
export { Sender } from './delivery/send.ts'
export type { OutgoingRequest, SendResult } from './delivery/send.ts'
export { SsrfError, SsrfGuard } from './delivery/ssrf.ts'
export { noFrames } from './stream/frames.ts'
export type { FrameSink } from './stream/frames.ts'
export { Hub } from './stream/hub.ts'
export type { HubOptions } from './stream/hub.ts'
