import type { Webhook } from '../storage/webhooks.ts'

/** How long after a pause, and after each failed probe, the next recovery probe comes: 1, 5, 15, 30 min, then hourly. */
export const DEFAULT_PROBE_SCHEDULE_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000]

/**
 * The delay before probe number `step` (0 for the first after the pause) of a webhook paused by
 * failures, or null when its `autoResume` is off. The schedule's last step repeats.
 */
export function probeDelay(
  webhook: Pick<Webhook, 'autoResume'>,
  step: number,
  defaults: readonly number[],
): number | null {
  if (webhook.autoResume === false) return null
  const schedule = webhook.autoResume === true ? defaults : webhook.autoResume.scheduleMs
  return schedule[Math.min(step, schedule.length - 1)] ?? null
}
