import {
  EVENT_NAME,
  newId,
  renderTemplate,
  type EventDefinition,
  type HooklineEvent,
  type Identity,
  type Json,
  type JsonObject,
} from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import { notAnEventName, reasonOf } from '../errors.ts'
import { isJsonObject } from '../json.ts'
import type { Optimistic } from '../live/optimistic.ts'
import type { Log } from '../log.ts'
import type { Hookline } from '../types.ts'
import { normalizeIdentity } from './identity.ts'

export interface TrackContext {
  /** The tab's session now (a new one replaces it if the relay says it was claimed elsewhere). */
  sessionId(): string
  vars: MapStore<Record<string, Json>>
  log: Log
  optimistic: Optimistic
  /** The project config's event definitions, by name (their optimistic updates). */
  definitions: ReadonlyMap<string, EventDefinition>
  /** The hot path's only write: remembers the event; serialization and storage come later, off this task. */
  enqueue(event: HooklineEvent, at: number): void
  /** The current screen, if the SDK watches a document. */
  screen(): string | undefined
  /** True once `destroy()` ran. */
  destroyed(): boolean
}

/**
 * `hl.track()` and `hl.identify()`. `track` builds the event (session, screen, variables, the
 * identified user and company), queues it, logs it and applies its optimistic update, in that
 * order. It never throws and never waits: anything wrong is a log entry, and the id is returned
 * whatever happens.
 */
export function createTracker(context: TrackContext): Pick<Hookline, 'track' | 'identify'> {
  const { vars, log, optimistic, definitions } = context
  let user: Identity | undefined
  let company: Identity | undefined

  const track = (name: unknown, props: unknown, options?: { optimistic?: JsonObject }): string => {
    const id = newId('evt')
    try {
      if (context.destroyed()) {
        log.warn('HL09')
        return id
      }
      if (typeof name !== 'string' || !EVENT_NAME.test(name)) {
        log.add({ kind: 'rejected', eventId: id, reason: notAnEventName(name) })
        return id
      }
      const values = vars.get()
      // `ts` is filled from `at` when the queue serializes the event, off the caller's task.
      const at = Date.now()
      const sessionId = context.sessionId()
      const event: HooklineEvent = { id, name, ts: '', sessionId }
      const screen = context.screen()
      if (screen) event.screen = screen
      if (props != null) {
        if (isJsonObject(props)) event.props = { ...props }
        else log.warn('HL10', name)
      }
      for (const _ in values) {
        event.vars = values
        break
      }
      if (user) event.user = user
      if (company) event.company = company
      context.enqueue(event, at)
      log.add({ kind: 'fired', eventId: id, name, props: event.props })
      const template = options?.optimistic ?? definitions.get(name)?.optimistic
      if (template) {
        const set = renderTemplate(template, {
          props: event.props ?? {},
          vars: values,
          event: { id, name },
          session: { id: sessionId },
        })
        if (isJsonObject(set)) optimistic.apply(id, set)
      }
    } catch (error) {
      log.warn('HL11', String(name), reasonOf(error))
    }
    return id
  }

  return {
    track,
    identify(nextUser, nextCompany) {
      if (nextUser !== undefined) user = normalizeIdentity(nextUser, 'user', log.warn)
      if (nextCompany !== undefined) company = normalizeIdentity(nextCompany, 'company', log.warn)
    },
  }
}
