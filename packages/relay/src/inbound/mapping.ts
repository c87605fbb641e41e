import { readJsonPath, type JsonObject } from '@hookline/protocol'
import { HttpError } from '../http/errors.ts'
import type { ListenerSettings } from '../storage/listeners.ts'
import { isSessionId } from '../stream/session-id.ts'

/** What an inbound body sets, and for which session (null: every open session of the project). */
export interface InboundEffect {
  set: JsonObject
  session: string | null
  /** Variables whose path led nowhere in this body (left unchanged). */
  missing: string[]
}

/**
 * Applies a listener's mapping to an inbound body. Paths that lead nowhere are skipped, so a sender
 * may update some variables at a time; a body that sets none, or lacks the target session, is a
 * 422 that names the paths the listener looked for.
 */
export function mapInbound(listener: Pick<ListenerSettings, 'set' | 'target'>, body: unknown): InboundEffect {
  const set: JsonObject = {}
  const missing: string[] = []
  for (const [variable, path] of Object.entries(listener.set)) {
    const value = readJsonPath(body, path)
    if (value === undefined) missing.push(variable)
    else set[variable] = value as JsonObject[string]
  }
  if (missing.length === Object.keys(listener.set).length) {
    throw new HttpError(
      422,
      'nothing_to_set',
      `The body holds none of the listener's paths (${Object.values(listener.set).join(', ')}); send at least one of them.`,
      {
        paths: listener.set,
      },
    )
  }
  if (listener.target === 'broadcast') return { set, session: null, missing }
  const session = readJsonPath(body, listener.target.session)
  if (!isSessionId(session)) {
    throw new HttpError(
      422,
      'session_not_found',
      `The body must hold the target session id ("ses_…") at ${listener.target.session}${session === undefined ? '' : `; found ${JSON.stringify(session).slice(0, 80)}`}.`,
      { path: listener.target.session },
    )
  }
  return { set, session, missing }
}
