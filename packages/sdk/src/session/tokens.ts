import type { Warn } from '../log.ts'
import type { SessionClaimResponse } from '@hookline/protocol'
import { reasonOf } from '../errors.ts'
import { relayRequest } from '../send/request.ts'

/** What became of one claim: the token, the id held by someone else (409), or no answer to act on. */
export type ClaimResult = { token: string } | 'taken' | 'failed'

/** The seam the transport sends through: the token of each session a batch carries. */
export interface SessionTokenSource {
  /** Tokens known now, without a request (a beacon cannot wait). */
  known(sessionIds: readonly string[]): Record<string, string>
  /** Tokens, claiming the sessions that have none yet (first claim wins on the relay). */
  ensure(sessionIds: readonly string[]): Promise<Record<string, string>>
}

export interface SessionTokens extends SessionTokenSource {
  /** Claims one session (once at a time per id); a token already known is answered at once. */
  claim(sessionId: string): Promise<ClaimResult>
}

/** Tokens kept per relay and key; the oldest go beyond this many sessions. */
const MAX_KEPT = 50

/**
 * The tokens of claimed sessions, kept in `localStorage` beside the queue (in memory when it is
 * unavailable): the sending tab sends the events of every tab, so it must find every tab's token.
 */
export function createSessionTokens(relay: string, key: string, warn: Warn): SessionTokens {
  const name = `hookline:sessions ${relay} ${key}`
  let memory: Record<string, string> = {}
  const pending = new Map<string, Promise<ClaimResult>>()
  const call = relayRequest(relay, key)

  const read = (): Record<string, string> => {
    try {
      memory = { ...(JSON.parse(localStorage.getItem(name) || '{}') as Record<string, string>), ...memory }
    } catch {
      /* memory only */
    }
    return memory
  }
  /** Keeps `token` as the newest, and the MAX_KEPT newest in all (keys keep their insertion order). */
  const keep = (sessionId: string, token: string): void => {
    const next: Record<string, string> = {}
    for (const id of Object.keys(read())
      .filter((id) => id !== sessionId)
      .slice(1 - MAX_KEPT))
      next[id] = memory[id] ?? ''
    next[sessionId] = token
    memory = next
    try {
      localStorage.setItem(name, JSON.stringify(next))
    } catch {
      /* memory only */
    }
  }

  async function request(sessionId: string): Promise<ClaimResult> {
    let response: Response
    try {
      response = await call('POST', '/v1/sessions', JSON.stringify({ id: sessionId }))
    } catch (error) {
      warn('HL07', reasonOf(error))
      return 'failed'
    }
    if (response.status === 409) return 'taken'
    const body = (await response.json().catch(() => undefined)) as Partial<SessionClaimResponse> | undefined
    if (response.status !== 201 || typeof body?.token !== 'string') {
      warn('HL08', response.status)
      return 'failed'
    }
    keep(sessionId, body.token)
    return { token: body.token }
  }

  const claim = (sessionId: string): Promise<ClaimResult> => {
    const token = read()[sessionId]
    if (token) return Promise.resolve({ token })
    let claiming = pending.get(sessionId)
    if (!claiming) {
      claiming = request(sessionId).finally(() => pending.delete(sessionId))
      pending.set(sessionId, claiming)
    }
    return claiming
  }

  const known = (sessionIds: readonly string[]): Record<string, string> => {
    const all = read()
    const found: Record<string, string> = {}
    for (const id of sessionIds) if (all[id]) found[id] = all[id]
    return found
  }

  return {
    claim,
    known,
    async ensure(sessionIds) {
      await Promise.all(sessionIds.map(claim))
      return known(sessionIds)
    },
  }
}
