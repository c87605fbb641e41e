// What a write that failed for want of room (or of the database) looks like, from either store, so
// the HTTP layer can answer 503 with the real cause in the log instead of a generic 500.

/** Why storage refused: `full` (no room on disk or in the database) or `unavailable` (unreachable, out of resources). */
export type StorageTrouble = { kind: 'full' | 'unavailable'; cause: string }

// SQLite: SQLITE_FULL also when `max_page_count` is reached. Node: ENOSPC, EDQUOT (quota).
const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT', '53100'])
// PostgreSQL: class 53 (insufficient resources), 57P03 (cannot connect now), class 08 (connection);
// SQLite: disk I/O errors and a read-only file; Node: the server refused or went away.
const UNAVAILABLE = /^(53\d{3}|57P03|08\d{3}|SQLITE_IOERR\w*|SQLITE_READONLY\w*|ECONNREFUSED|ECONNRESET|EIO)$/

/** The storage trouble behind `error` (or its causes), or undefined when it is something else. */
export function storageTrouble(error: unknown): StorageTrouble | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') {
      const cause = `${code}: ${current.message}`
      if (FULL_CODES.has(code) || current.message.includes('No space left on device')) return { kind: 'full', cause }
      if (UNAVAILABLE.test(code)) return { kind: 'unavailable', cause }
    }
    current = current.cause
  }
  return undefined
}
