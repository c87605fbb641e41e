import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { Environment } from '@hookline/protocol'
import type { Kysely } from 'kysely'
import { HttpError } from './errors.ts'
import { findKey, findProject } from './storage/projects.ts'
import type { Database } from './storage/schema.ts'
import type { RelayEnv } from './context.ts'

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

/** Admin routes: `Authorization: Bearer <admin token>`, compared in constant time. */
export function adminAuth(adminToken: string): MiddlewareHandler {
  const expected = createHash('sha256').update(adminToken).digest()
  return async (c, next) => {
    const token = bearer(c.req.header('authorization'))
    if (!token)
      throw new HttpError(
        401,
        'unauthorized',
        'Send the admin token as "Authorization: Bearer <token>"; the relay printed it on first start and keeps it in its data dir.',
      )
    if (!timingSafeEqual(createHash('sha256').update(token).digest(), expected)) {
      throw new HttpError(
        401,
        'unauthorized',
        'The admin token is wrong; use the one the relay printed on first start (or HOOKLINE_ADMIN_TOKEN).',
      )
    }
    await next()
  }
}

/**
 * Resolves publishable keys to their project, with a small cache: browsers send the same key with
 * every batch. `invalidate` after a project changes or goes away.
 */
export class KeyResolver {
  #keys = new Map<string, KeyScope | null>()
  #origins = new Map<string, string[] | null>()

  constructor(private readonly db: Kysely<Database>) {}

  /** The key's scope, or null for a key that does not exist. Throws 401 for one that cannot be a key. */
  async resolve(key: string): Promise<KeyScope | null> {
    if (!KEY_FORMAT.test(key)) return null
    const hash = hashKey(key)
    let scope = this.#keys.get(hash)
    if (scope === undefined) {
      const found = await findKey(this.db, hash)
      scope = found ? { ...found, hash } : null
      if (this.#keys.size > 10_000) this.#keys.clear()
      this.#keys.set(hash, scope)
    }
    return scope
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

  invalidate(): void {
    this.#keys.clear()
    this.#origins.clear()
  }
}

/** The publishable key of a browser request: `Authorization: Bearer pk_…` or `?key=pk_…`. */
export function readPublishableKey(authorization: string | undefined, query: string | undefined): string | undefined {
  return bearer(authorization) ?? query
}

/** Browser routes: resolves the publishable key and sets `c.var.key`; 401 without a valid one. */
export function publishableKey(keys: KeyResolver): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    if (!c.get('key')) c.set('key', await requireKey(keys, c.req.header('authorization'), c.req.query('key')))
    await next()
  }
}

export async function requireKey(
  keys: KeyResolver,
  authorization: string | undefined,
  query: string | undefined,
): Promise<KeyScope> {
  const key = readPublishableKey(authorization, query)
  if (!key)
    throw new HttpError(
      401,
      'missing_key',
      'Send the project\'s publishable key as "Authorization: Bearer pk_test_…" or "?key=pk_test_…".',
    )
  const scope = await keys.resolve(key)
  if (!scope)
    throw new HttpError(
      401,
      'invalid_key',
      'This publishable key is not known to the relay; copy the pk_test_… or pk_live_… key of your project again.',
    )
  return scope
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}
