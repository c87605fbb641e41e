import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/** Sealed values start with this; anything else in a secret column is from before `0061` (in the clear). */
export const SEALED_PREFIX = 'hlenc1.'

/** A value sealed under another master key than the relay's. */
export class WrongMasterKey extends Error {
  override name = 'WrongMasterKey'
  constructor(where: string, keyId: string, box: { keyId: string; source: string }) {
    super(
      `${where} was sealed under master key ${keyId}, but this relay's key (${box.source}) is ${box.keyId}. ` +
        'Give every relay of this database the same HOOKLINE_MASTER_KEY (or the key file that sealed it).',
    )
  }
}

/**
 * Seals webhook and listener secrets for storage: AES-256-GCM under a key derived from the master
 * key, a fresh 96-bit IV each time, and the row it belongs to as associated data, so a sealed value
 * copied into another row or column does not open. A sealed value reads
 * `hlenc1.<key id>.<iv>.<ciphertext+tag>` (base64url): the key id names the master key (without
 * revealing it), so a relay given another key says so instead of failing somewhere later.
 * Previous master keys only open (a key change re-seals under the current one: `resealSecrets`).
 */
export class SecretBox {
  readonly keyId: string
  readonly #key: Buffer
  /** Key id → key, the current one and the previous ones. */
  readonly #opening = new Map<string, Buffer>()

  /** `masterKey`: 32 random bytes. `source` says where it came from, for error messages. */
  constructor(
    masterKey: Buffer,
    readonly source: string,
    previous: readonly Buffer[] = [],
  ) {
    const [keyId, key] = derive(masterKey)
    this.keyId = keyId
    this.#key = key
    for (const old of [masterKey, ...previous]) this.#opening.set(...derive(old))
  }

  /** Whether previous master keys were given (a key change to finish). */
  get hasPrevious(): boolean {
    return this.#opening.size > 1
  }

  /** Whether a sealed value is under a previous key (and should be sealed again under the current one). */
  isStale(sealed: string): boolean {
    return sealed.startsWith(SEALED_PREFIX) && !sealed.startsWith(`${SEALED_PREFIX}${this.keyId}.`)
  }

  /** Seals `plain`; `where` names its place (`webhooks.secret:wh_…`) and must be the same to open it. */
  seal(plain: string, where: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv)
    cipher.setAAD(Buffer.from(where))
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()])
    return `${SEALED_PREFIX}${this.keyId}.${iv.toString('base64url')}.${body.toString('base64url')}`
  }

  /** Opens a value `seal` made for the same `where`; throws, naming the place, when it cannot. */
  open(sealed: string, where: string): string {
    const [prefix, keyId, iv, body] = sealed.split('.')
    if (`${prefix ?? ''}.` !== SEALED_PREFIX || keyId === undefined || iv === undefined || body === undefined) {
      throw new Error(`${where} is not sealed; the relay stores secrets only sealed (migration 0061).`)
    }
    const key = this.#opening.get(keyId)
    if (!key) throw new WrongMasterKey(where, keyId, this)
    const ivBytes = strictBase64url(iv)
    const bytes = strictBase64url(body)
    if (ivBytes?.length !== 12 || !bytes || bytes.length < 16)
      throw new Error(`${where} is not a well-formed sealed value.`)
    const decipher = createDecipheriv('aes-256-gcm', key, ivBytes)
    decipher.setAAD(Buffer.from(where))
    decipher.setAuthTag(bytes.subarray(bytes.length - 16))
    try {
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8')
    } catch (error) {
      throw new Error(`${where} does not open under master key ${keyId}: it was altered or moved.`, {
        cause: error,
      })
    }
  }
}

/** The key id and the encryption key of a master key (HKDF-SHA256, one label each). */
function derive(masterKey: Buffer): [string, Buffer] {
  if (masterKey.length !== 32) throw new Error(`The master key must be 32 bytes (got ${masterKey.length}).`)
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'hookline secrets v1', 32))
  const id = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'hookline key id v1', 6)).toString('base64url')
  return [id, key]
}

/** Decodes base64url only when it is exactly what encoding the bytes gives (Node skips stray characters). */
function strictBase64url(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64url')
  return bytes.toString('base64url') === text ? bytes : null
}

/** Where a secret column's value lives, as `seal` and `open` take it. */
export function secretPlace(table: 'webhooks' | 'listeners', column: string, id: string): string {
  return `${table}.${column}:${id}`
}
