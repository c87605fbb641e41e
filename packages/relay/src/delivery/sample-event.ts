import type { Kysely } from 'kysely'
import { matchesEvent, newId, validateEvent, type HooklineEvent, type Problem } from '@hookline/protocol'
import { latestEvents } from '../storage/sample-events.ts'
import type { Database } from '../storage/schema.ts'
import type { Webhook } from '../storage/webhooks.ts'

/** Fields a caller may set on the sample event of a test send; the rest comes from the log or defaults. */
export type SampleFields = Partial<Pick<HooklineEvent, 'name' | 'screen' | 'props' | 'vars' | 'user' | 'company'>>

// How far back the log is searched for an event the webhook subscribes to.
const LOOK_BACK = 200

/**
 * The event a test send renders the webhook's template with: the latest stored event the webhook
 * subscribes to (so placeholders fill with real values), else one named after its first plain
 * subscription; `fields` override either. It always gets a fresh id and the current time, so an
 * endpoint that dedupes by event id never mistakes it for the real one.
 */
export async function sampleEvent(
  db: Kysely<Database>,
  webhook: Webhook,
  fields: SampleFields,
  now = Date.now(),
): Promise<{ ok: true; event: HooklineEvent } | { ok: false; problems: Problem[] }> {
  const recent = await latestEvents(db, webhook.projectId, webhook.environment, LOOK_BACK)
  const match = recent.find((row) => matchesEvent(webhook.events, row.name))
  const base: HooklineEvent = match
    ? (JSON.parse(match.body) as HooklineEvent)
    : { id: '', name: defaultName(webhook.events), ts: '', sessionId: newId('ses'), props: {} }
  const checked = validateEvent({ ...base, ...fields, id: newId('evt'), ts: new Date(now).toISOString() })
  return checked.ok ? { ok: true, event: checked.value } : { ok: false, problems: checked.problems }
}

/** The first subscription that is a plain name, else `webhook.test`. */
function defaultName(patterns: string[]): string {
  return patterns.find((pattern) => !pattern.includes('*')) ?? 'webhook.test'
}
