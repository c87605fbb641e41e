import { useEffect, useState } from 'preact/hooks'
import { plainReason } from '../ui/plain-reason.ts'

/** What the notice reads of a webhook; pausedBy and nextProbeAt come with the relay's self-recovery. */
interface Paused {
  statusReason?: string | null
  pausedBy?: 'hand' | 'failures' | null
  nextProbeAt?: string | null
}

/** "in 4 min", "in 35 s", "any moment now". */
export function countdown(at: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(at) - now) / 1000)
  if (!Number.isFinite(seconds) || seconds <= 0) return 'any moment now'
  if (seconds < 90) return `in ${seconds} s`
  if (seconds < 5400) return `in ${Math.round(seconds / 60)} min`
  return `at ${new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
}

/**
 * A paused webhook: why, that nothing is dropped, and — paused after failures — when the relay next
 * tries its oldest held delivery, to resume by itself once the endpoint answers 2xx.
 */
export function PausedNotice({ webhook, onResume }: { webhook: Paused; onResume: () => void }) {
  const [, tick] = useState(0)
  useEffect(() => {
    if (!webhook.nextProbeAt) return
    const timer = setInterval(() => tick((n) => n + 1), 1000)
    return () => clearInterval(timer)
  }, [webhook.nextProbeAt])
  const why =
    webhook.pausedBy === 'hand'
      ? 'Paused by hand.'
      : plainReason(webhook.statusReason ?? 'Paused after repeated failures.')
  return (
    <div class="notice warn paused" role="status">
      <span>
        <strong>Paused.</strong> {why} Nothing is dropped: held deliveries go out oldest first on resume.
        {webhook.pausedBy === 'failures' &&
          (webhook.nextProbeAt ? (
            <>
              {' '}
              It tries again by itself <span class="countdown">{countdown(webhook.nextProbeAt)}</span>, and resumes once
              the endpoint answers 2xx.
            </>
          ) : (
            ' It does not try again by itself: resume it once the endpoint is fixed.'
          ))}
      </span>
      <button type="button" class="button small" onClick={onResume}>
        Resume
      </button>
    </div>
  )
}
