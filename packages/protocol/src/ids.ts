/** The prefixes of Hookline's ids. Each id is `prefix_` + a ULID, so ids sort by creation time. */
export type IdPrefix = 'evt' | 'ses' | 'wh' | 'msg' | 'lst' | 'prj' | 'dlv' | 'att'

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/

let lastTime = -1
/** The random part as its 16 base-32 digits (0–31 each), so incrementing it is a carry over digits. */
const lastRandom = new Uint8Array(16)

/**
 * A new time-sortable id: `evt_01JD…`. Ids made in the same millisecond still sort in creation
 * order, because the random part is incremented rather than redrawn (ULID's monotonic rule).
 * @example newId('evt') // 'evt_01JDA3Z5M2K8Q4T9R7W6X1Y0BC'
 */
export function newId(prefix: IdPrefix): string {
  const now = Date.now()
  if (now > lastTime) {
    lastTime = now
    crypto.getRandomValues(lastRandom)
    // Five random bits of each byte make one digit: 80 random bits in all, as ULID has.
    lastRandom.forEach((byte, i) => (lastRandom[i] = byte & 31))
  } else {
    // The last digit up by one, carrying into the one before at 32.
    for (let i = 15; i >= 0 && (lastRandom[i] = (lastRandom[i] ?? 0) + 1) > 31; i--) lastRandom[i] = 0
  }
  let out = ''
  for (let i = 9; i >= 0; i--) out += CROCKFORD.charAt(Math.floor(lastTime / 32 ** i) % 32)
  for (const digit of lastRandom) out += CROCKFORD.charAt(digit)
  return `${prefix}_${out}`
}

/** True when `id` has the given prefix and a well-formed ULID after it. */
export function isId(id: unknown, prefix: IdPrefix): id is string {
  return typeof id === 'string' && id.startsWith(prefix + '_') && ULID.test(id.slice(prefix.length + 1))
}

/** The creation time (ms since epoch) encoded in an id, or NaN for anything that is not one. */
export function idTime(id: string): number {
  const ulid = id.slice(id.indexOf('_') + 1)
  if (!ULID.test(ulid)) return Number.NaN
  let time = 0
  for (const char of ulid.slice(0, 10)) time = time * 32 + CROCKFORD.indexOf(char)
  return time
}
