import { useState } from 'preact/hooks'
import { hookline, projectId } from '../api.ts'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { CheckField } from '../ui/check-field.tsx'
import { localInputValue, replayText, sinceIso } from './replay-text.ts'

/**
 * "Send past events again": queues the project's events since a time (those the webhook subscribes
 * to and its filter admits) as deliveries to it, in event order. This is how an endpoint wired in
 * the middle of a test catches up, or one that was down recovers.
 */
export function ReplayPanel({ webhookId, onQueued }: { webhookId: string; onQueued: () => void }) {
  const [since, setSince] = useState(() => localInputValue(Date.now() - 60 * 60_000))
  const [onlyFailed, setOnlyFailed] = useState(false)
  const [includeDelivered, setIncludeDelivered] = useState(false)
  const [result, setResult] = useState<string>()
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)

  const submit = async (event: Event) => {
    event.preventDefault()
    setError(undefined)
    setResult(undefined)
    setBusy(true)
    try {
      const answer = await hookline().webhooks.replay(projectId(), webhookId, {
        since: sinceIso(since),
        ...(onlyFailed ? { onlyFailed } : {}),
        ...(includeDelivered ? { includeDelivered } : {}),
      })
      setResult(replayText(answer))
      onQueued()
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="card form" aria-labelledby="replay-title" onSubmit={(event) => void submit(event)}>
      <div class="card-head">
        <h2 id="replay-title">Send past events again</h2>
      </div>
      <p class="muted small">
        Sends this webhook the events it subscribes to (and its filter lets through) from a time on, oldest first. Use
        it when the endpoint was down, or was wired in after the events happened.
      </p>
      <div class="field">
        <label for="replay-since">Events since</label>
        <input
          id="replay-since"
          type="datetime-local"
          required
          value={since}
          onInput={(e) => setSince(e.currentTarget.value)}
        />
      </div>
      <CheckField
        id="replay-only-failed"
        checked={onlyFailed}
        onChange={setOnlyFailed}
        label="Only the ones that failed"
      />
      <CheckField
        id="replay-include-delivered"
        checked={includeDelivered}
        onChange={setIncludeDelivered}
        label="Also the ones the endpoint already received"
      />
      {result && (
        <p class="replay-result" role="status">
          {result}
        </p>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Queuing…' : 'Send past events again'}
        </button>
      </div>
    </form>
  )
}
