import type { Entry } from './entry.ts'

/** Bytes of the `{"sentAt":"…","events":[…]}` envelope around a batch. */
const ENVELOPE = 64

/**
 * The oldest serialized entries that `sendable` accepts, in queue order, as many as fit in one
 * batch of `maxEvents` events and `maxBytes` bytes (envelope included). Entries are records (an id
 * and its JSON), handed out as they are: a serialized entry's JSON never changes.
 */
export function selectEntries(
  entries: Iterable<Entry>,
  maxEvents: number,
  maxBytes: number,
  sendable: (entry: Entry) => boolean,
): Entry[] {
  const out: Entry[] = []
  let size = ENVELOPE
  for (const entry of entries) {
    if (out.length >= maxEvents) break
    if (!sendable(entry)) continue
    const json = entry.json // written (or being written) events only
    if (!json) continue
    if (size + json.length + 1 > maxBytes) break
    size += json.length + 1
    out.push(entry)
  }
  return out
}
