import { compileFilter, toEnvelope, type FilterTest, type HooklineEvent } from '@hookline/protocol'
import type { Webhook } from '../storage/webhooks.ts'

// Compiled once per webhook object: the registry replaces the object whenever the webhook changes.
const compiled = new WeakMap<Webhook, FilterTest>()

/**
 * Whether the webhook's `filter` lets the event through: evaluated over the default envelope
 * (what `type`, `data.*`, `session.*`, `vars.*`, `user.*` name), whatever the template makes of
 * it. A webhook without a filter admits every event it subscribes to.
 */
export function filterAdmits(webhook: Webhook, event: HooklineEvent): boolean {
  if (webhook.filter === null) return true
  let test = compiled.get(webhook)
  if (!test) {
    const result = compileFilter(webhook.filter)
    // Filters are checked when they are set; one that no longer compiles lets nothing through.
    test = result.ok ? result.test : () => false
    compiled.set(webhook, test)
  }
  return test(toEnvelope(event, webhook.projectId, webhook.environment))
}
