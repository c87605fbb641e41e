import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Environment } from '@hookline/protocol'
import { findKey, findProject } from '../storage/projects.ts'
import type { Database } from '../storage/schema.ts'

/** What a publishable key resolves to. */
export interface KeyScope {
  projectId: string
  environment: Environment
  /** The key's hash: identifies it in rate limits and logs without revealing it. */
  hash: string
}

const KEY_FORMAT = /^pk_(test|live)_[A-Za-z0-9_-]{16,64}$/

/** A new publishable key; only its hash is stored. */
export function createKey(environment: Environment): { key: string; hash: string; hint: string } {
  const key = `pk_${environment}_${randomBytes(18).toString('base64url')}`
  return { key, hash: hashKey(key), hint: key.slice(0, 12) }
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/**
 * Resolves publishable keys to their project, with a small cache: browsers send the same key with
 * every batch. `invalidate` after a project changes or goes away (see `invalidate.ts`).
 */
export class KeyResolver {
  // A rotated-out key's entry carries its end, so the cache never outlives the key's grace period.
  #keys = new Map<string, { scope: KeyScope; expiresAt: number | null } | null>()
  #origins = new Map<string, string[] | null>()

  constructor(private readonly db: Kysely<Database>) {}

  /** The key's scope, or null for a key that does not exist or cannot be one. */
  async resolve(key: string): Promise<KeyScope | null> {
    if (!KEY_FORMAT.test(key)) return null
    const hash = hashKey(key)
    let entry = this.#keys.get(hash)
    if (entry === undefined) {
      const found = await findKey(this.db, hash)
      entry = found
        ? { scope: { projectId: found.projectId, environment: found.environment, hash }, expiresAt: found.expiresAt }
        : null
      if (this.#keys.size > 10_000) this.#keys.clear()
      this.#keys.set(hash, entry)
    }
    if (entry && entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.#keys.set(hash, null)
      return null
    }
    return entry?.scope ?? null
  }

  /** The project's allowed origins, or null when the project is gone. */
  async origins(projectId: string): Promise<string[] | null> {
    let origins = this.#origins.get(projectId)
    if (origins === undefined) {
      origins = (await findProject(this.db, projectId))?.allowedOrigins ?? null
      if (this.#origins.size > 10_000) this.#origins.clear()
      this.#origins.set(projectId, origins)
    }
    return origins
  }

  /**
   * Whether a page at `origin` may use this key: only the project's `allowedOrigins`, or any origin
   * while that list is empty and the key is a test key.
   */
  async originAllowed(scope: KeyScope, origin: string): Promise<boolean> {
    const allowed = await this.origins(scope.projectId)
    if (!allowed) return false
    if (allowed.length === 0) return scope.environment === 'test'
    return allowed.includes(origin)
  }

  invalidate(): void {
    this.#keys.clear()
    this.#origins.clear()
  }
}
