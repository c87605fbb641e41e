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
  return `${prefix}_${encodeUlid(lastTime, lastRandom)}`
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
    // A Uint8Array stores 255 + 1 as 0: carry on to the next byte up.
    const byte = lastRandom[i] ?? 0
    lastRandom[i] = byte + 1
    if (byte !== 255) return
  }
}

/** A ULID's 26 characters: 48 bits of time (10 characters), then 80 random bits (16), five bits each. */
function encodeUlid(time: number, random: Uint8Array): string {
  let out = ''
  for (let i = 9; i >= 0; i--) out += CROCKFORD.charAt(Math.floor(time / 32 ** i) % 32)
  let buffer = 0
  let bits = 0
  for (const byte of random) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += CROCKFORD.charAt((buffer >> bits) & 31)
    }
  }
  return out
}
