/** The prefixes of Hookline's ids. Each id is `prefix_` + a ULID, so ids sort by creation time. */
export type IdPrefix = 'evt' | 'ses' | 'wh' | 'msg' | 'lst' | 'prj' | 'dlv' | 'att'

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/

let lastTime = -1
const lastRandom = new Uint8Array(10)

/**
 * A new time-sortable id: `evt_01JD…`. Ids made in the same millisecond still sort in creation
 * order, because the random part is incremented rather than redrawn (ULID's monotonic rule).
 * @example newId('evt') // 'evt_01JDA3Z5M2K8Q4T9R7W6X1Y0BC'
 */
export function newId(prefix: IdPrefix): string {
  const now = Date.now()
  if (now <= lastTime) incrementRandom()
  else {
    lastTime = now
    crypto.getRandomValues(lastRandom)
  }
  return `${prefix}_${encodeTime(lastTime)}${encodeRandom(lastRandom)}`
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

function incrementRandom(): void {
  for (let i = lastRandom.length - 1; i >= 0; i--) {
    const byte = lastRandom[i] ?? 0
    lastRandom[i] = (byte + 1) & 255
    if (byte !== 255) return
  }
}

function encodeTime(time: number): string {
  let out = ''
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD.charAt(time % 32) + out
    time = Math.floor(time / 32)
  }
  return out
}

function encodeRandom(bytes: Uint8Array): string {
  // 80 bits → 16 base32 characters, five bits at a time.
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += CROCKFORD.charAt((buffer >> bits) & 31)
    }
  }
  return out
}
