import { plainReason } from '../ui/plain-reason.ts'

/**
 * A webhook turned off (its endpoint answered 410 Gone, or by hand): nothing is sent to it, or
 * held for it, until it is turned on again.
 */
export function DisabledNotice({ reason, onEnable }: { reason: string | null; onEnable: () => void }) {
  return (
    <div class="notice warn paused" role="status">
      <span>
        <strong>Turned off.</strong> {plainReason(reason ?? 'Turned off by hand.')} Events that come meanwhile are not
        sent to it, nor kept for it: turn it on once the endpoint is back.
      </span>
      <button type="button" class="button small" onClick={onEnable}>
        Turn on
      </button>
    </div>
  )
}
