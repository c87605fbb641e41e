// The SDK's public types, in one place, so the panel builds against exactly what `hl` promises.
export type { Hookline, HooklineStatus, LogEntry } from '@hookline/sdk'
