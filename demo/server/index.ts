/**
 * @module
 * The demo's Node side, for `npm start` (scripts/start.mjs) and the e2e tests: the whole demo
 * (`startDemo`), or its parts — the demo server, the mock fulfillment service, the seeding.
 */
export { startDemo, BUILT } from './start-demo.ts'
export type { StartDemoOptions } from './start-demo.ts'
export { startDemoServer, fillPrototype } from './demo-server.ts'
export type { DemoConfig, DemoServer, DemoServerOptions } from './demo-server.ts'
export { startFulfillment } from './mock-fulfillment.ts'
export type { Fulfillment, FulfillmentOptions, InboundTarget } from './mock-fulfillment.ts'
export { seedDemo } from './seed.ts'
export type { DemoProject } from './seed.ts'
