// The SDK's public types, in one place, so the panel builds against exactly what `hl` promises.
// From the types-only entry: the SDK itself loads this package lazily, and its main entry would
// make the two packages depend on each other.
export type { Hookline, HooklineStatus, LogEntry } from '@hookline/sdk/types'
