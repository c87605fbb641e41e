import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import { newId, SESSION_TOKEN, type Environment } from '@hookline/protocol'
import type { Database } from '../storage/schema.ts'
import type { Dialect } from '../storage/types.ts'
import { findSessions, insertSession, type SessionRecord } from '../storage/sessions.ts'
import type { KeyScope } from './keys.ts'

/** What a session token proves for a key: the session is the key's, or why not. */
export type TokenCheck = 'ok' | 'missing' | 'invalid' | 'other_environment'

/** A new session token: 256 random bits. Only its hash is stored. */
export function createSessionToken(): { token: string; hash: string } {
  const token = `hlst_${randomBytes(32).toString('base64url')}`
  return { token, hash: hashSessionToken(token) }
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * Claimed sessions and their tokens. A session id is bound to the project and environment of the
 * key that claims it first; every later write to it (events, beacons) and every read (the stream)
 * must show its token. Claims are cached, since every batch and stream asks again; a claim never
 * changes once made, so the cache is only dropped when a project goes away.
 */
export class SessionTokens {
  #cache = new Map<string, SessionRecord>()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Claims `id` (a fresh one when omitted) for the key's project and environment; null when taken. */
  async claim(scope: KeyScope, id = newId('ses')): Promise<{ id: string; token: string } | null> {
    const { token, hash } = createSessionToken()
    const claimed = await insertSession(this.db, this.dialect, {
      projectId: scope.projectId,
      id,
      environment: scope.environment,
      tokenHash: hash,
    })
    if (!claimed) return null
    this.#remember(scope.projectId, id, { environment: scope.environment, tokenHash: hash })
    return { id, token }
  }

  /** Checks one session's token for the key (the stream's question). */
  async check(scope: KeyScope, sessionId: string, token: string | undefined): Promise<TokenCheck> {
    if (!token) return 'missing'
    const records = await this.#load(scope.projectId, [sessionId])
    return judge(records.get(sessionId), scope.environment, token)
  }

  /** The sessions among `sessionIds` whose token in `tokens` is valid for the key (ingest's question). */
  async verified(scope: KeyScope, sessionIds: Iterable<string>, tokens: Record<string, string>): Promise<Set<string>> {
    const wanted = [...new Set(sessionIds)].filter((id) => Object.hasOwn(tokens, id))
    const records = await this.#load(scope.projectId, wanted)
    return new Set(wanted.filter((id) => judge(records.get(id), scope.environment, tokens[id] ?? '') === 'ok'))
  }

  /** Forgets what is cached (after a project is deleted). */
  invalidate(): void {
    this.#cache.clear()
  }

  async #load(projectId: string, ids: string[]): Promise<Map<string, SessionRecord>> {
    const found = new Map<string, SessionRecord>()
    const missing: string[] = []
    for (const id of ids) {
      const cached = this.#cache.get(`${projectId} ${id}`)
      if (cached) found.set(id, cached)
      else missing.push(id)
    }
    if (missing.length) {
      for (const [id, record] of await findSessions(this.db, projectId, missing)) {
        this.#remember(projectId, id, record)
        found.set(id, record)
      }
    }
    return found
  }

  #remember(projectId: string, id: string, record: SessionRecord): void {
    if (this.#cache.size >= 50_000) this.#cache.clear()
    this.#cache.set(`${projectId} ${id}`, record)
  }
}

function judge(record: SessionRecord | undefined, environment: Environment, token: string): TokenCheck {
  if (!token) return 'missing'
  // An unclaimed session and a wrong token look the same, so tokens cannot probe which ids exist.
  if (!record || !SESSION_TOKEN.test(token)) return 'invalid'
  const given = Buffer.from(hashSessionToken(token), 'hex')
  if (!timingSafeEqual(given, Buffer.from(record.tokenHash, 'hex'))) return 'invalid'
  return record.environment === environment ? 'ok' : 'other_environment'
}
