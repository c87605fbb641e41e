export { countMatches, DOORBELL, isLinkMessage, LINK } from './messages.ts'
export type { ToDashboard, ToPrototype, Unmarked } from './messages.ts'
export { stableSelector } from './selector.ts'
