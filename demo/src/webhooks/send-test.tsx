import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import type { Attempt } from '@hookline/protocol'

/** What a test send came to: the endpoint's answer, or why none came. */
export type TestOutcome = { attempt: Attempt } | { error: unknown }

/**
 * "Send test": a webhook.test event now. The outcome goes to the page, which shows it below its
 * header (beside the button it would push the header down).
 */
export function SendTest({ webhookId, onSent }: { webhookId: string; onSent: (outcome: TestOutcome) => void }) {
  const [busy, setBusy] = useState(false)
  const send = async () => {
    setBusy(true)
    try {
      const answer = await api<{ delivery: { attempts: Attempt[] } }>('POST', `/webhooks/${webhookId}/test`)
      const attempt = answer.delivery.attempts.at(-1)
      onSent(attempt ? { attempt } : { error: 'The relay answered without an attempt.' })
    } catch (caught) {
      onSent({ error: caught })
    } finally {
      setBusy(false)
    }
  }
  return (
    <button type="button" class="button" disabled={busy} onClick={() => void send()}>
      {busy ? 'Sending…' : 'Send test'}
    </button>
  )
}
