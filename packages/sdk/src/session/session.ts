import type { Warn } from '../log.ts'
import { newId } from '@hookline/protocol'
import { backoffDelay } from '../send/backoff.ts'
import type { SessionSlot } from './slot.ts'
import type { SessionTokens } from './tokens.ts'

export interface Session {
  /** The tab's session id now (it changes once if the relay says the first was claimed elsewhere). */
  id: () => string
  /** Resolves with the id and token once the session is claimed (retried while the relay is unreachable). */
  ready: Promise<{ id: string; token: string }>
  destroy(): void
}

/**
 * The tab's session, claimed before anything is sent for it. A session claimed elsewhere (409:
 * its id was in this tab, but its token was not) is left: the tab starts a new one and says so.
 */
export function startSession(initial: string, slot: SessionSlot, tokens: SessionTokens, warn: Warn): Session {
  let id = initial
  let destroyed = false
  // Read through a call: a claim's answer comes after an await, when destroy() may have run.
  const gone = (): boolean => destroyed
  let timer: ReturnType<typeof setTimeout> | undefined
  const ready = new Promise<{ id: string; token: string }>((resolve) => {
    let attempts = 0
    const attempt = async (): Promise<void> => {
      if (gone()) return
      const result = await tokens.claim(id)
      if (gone()) return
      if (typeof result === 'object') {
        resolve({ id, token: result.token })
        return
      }
      if (result === 'taken') {
        const next = newId('ses')
        warn('HL06', id, next)
        slot.set((id = next))
        void attempt()
        return
      }
      timer = setTimeout(() => void attempt(), backoffDelay(++attempts, 0, 30_000))
    }
    void attempt()
  })
  return {
    id: () => id,
    ready,
    destroy() {
      destroyed = true
      clearTimeout(timer)
    },
  }
}
