/** Open streams allowed at once. */
export interface StreamLimits {
  /** Per publishable key: every visitor of a page shares it, so this bounds what one key can hold. */
  perKey: number
  /** Per client address (a NAT counts as one). */
  perAddress: number
}

/** Why a stream was refused: which of the two counts is full. */
export type StreamRefusal = 'key' | 'address'

/**
 * Counts the open streams per publishable key (by its hash) and per client address. A stream is
 * admitted while both counts are under their limits, and counted until its release, which the
 * stream route calls once its socket closes. Counting at the HTTP level (unlike the connection
 * guard, which works on sockets before any request) lets the refusal be a readable 429.
 */
export class StreamCaps {
  readonly #byKey = new Map<string, number>()
  readonly #byAddress = new Map<string, number>()

  constructor(readonly limits: StreamLimits) {}

  /** Streams open now for the key (by hash) and for the address. */
  open(keyHash: string, address: string): { key: number; address: number } {
    return { key: this.#byKey.get(keyHash) ?? 0, address: this.#byAddress.get(address) ?? 0 }
  }

  /** Counts a stream and answers its release (idempotent), or the count that is full. */
  admit(keyHash: string, address: string): (() => void) | StreamRefusal {
    const now = this.open(keyHash, address)
    if (now.key >= this.limits.perKey) return 'key'
    if (now.address >= this.limits.perAddress) return 'address'
    this.#byKey.set(keyHash, now.key + 1)
    this.#byAddress.set(address, now.address + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      decrement(this.#byKey, keyHash)
      decrement(this.#byAddress, address)
    }
  }
}

// Counts at zero are dropped, so the maps hold only what is open.
function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1
  if (left > 0) counts.set(key, left)
  else counts.delete(key)
}
