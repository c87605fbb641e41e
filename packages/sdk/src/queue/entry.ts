import type { HooklineEvent } from '@hookline/protocol'

/** One queued event, serialized: what a batch is made of. */
export interface QueueRecord {
  id: string
  json: string
}

/** One event in the queue, from `enqueue` until it is acknowledged, rejected or evicted. */
export interface Entry {
  id: string
  /** The event until it is serialized (then `json` holds it). */
  event: HooklineEvent | undefined
  /** When it was tracked (ms), for `ts`. */
  at: number
  json: string
  bytes: number
  /** The key of the stored chunk holding it ('' until written). */
  chunk: string
  /** Serialized and in a chunk whose write has started (or is done): it may be sent. */
  sendable: boolean
  /** Sent, and not yet answered. */
  flight: boolean
}

/** An entry: sendable when it comes with its chunk's key (read from storage, or from another tab). */
export const newEntry = (
  id: string,
  event: HooklineEvent | undefined,
  at: number,
  json: string,
  chunk: string,
): Entry => ({
  id,
  event,
  at,
  json,
  bytes: json.length,
  chunk,
  sendable: !!chunk,
  flight: false,
})

/** The event's JSON, with `ts` filled from `at` if it was left empty (so `track()` does not format dates). */
export function serialize(event: HooklineEvent, at: number): string {
  if (!event.ts) event.ts = new Date(at || Date.now()).toISOString()
  return JSON.stringify(event)
}
