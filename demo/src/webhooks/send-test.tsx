import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { Notice } from '../ui/notice.tsx'
import { TestResult } from './test-result.tsx'
import type { Attempt } from '@hookline/protocol'

/** "Send test": a webhook.test event now, and what the endpoint answered. */
export function SendTest({ webhookId, onSent }: { webhookId: string; onSent: () => void }) {
  const [result, setResult] = useState<Attempt>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const send = async () => {
    setBusy(true)
    setError(undefined)
    try {
      const answer = await api<{ delivery: { attempts: Attempt[] } }>('POST', `/webhooks/${webhookId}/test`)
      setResult(answer.delivery.attempts.at(-1))
      onSent()
    } catch (caught) {
      setError((caught as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div class="send-test">
      <button type="button" class="button" disabled={busy} onClick={() => void send()}>
        {busy ? 'Sending…' : 'Send test'}
      </button>
      {result && <TestResult attempt={result} />}
      {error && <Notice>{error}</Notice>}
    </div>
  )
}
