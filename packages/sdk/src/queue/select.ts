import type { Entry, QueueRecord } from './entry.ts'

/** Bytes of the `{"sentAt":"…","events":[…]}` envelope around a batch. */
const ENVELOPE = 64

/**
 * The oldest serialized entries that `sendable` accepts, in queue order, as many as fit in one
 * batch of `maxEvents` events and `maxBytes` bytes (envelope included).
 */
export function selectRecords(
  entries: Iterable<Entry>,
  maxEvents: number,
  maxBytes: number,
  sendable: (entry: Entry) => boolean,
): QueueRecord[] {
  const out: QueueRecord[] = []
  let size = ENVELOPE
  for (const entry of entries) {
    if (out.length >= maxEvents) break
    if (!sendable(entry)) continue
    const json = entry.json // written (or being written) events only
    if (!json) continue
    if (size + json.length + 1 > maxBytes) break
    size += json.length + 1
    out.push({ id: entry.id, json })
  }
  return out
}
