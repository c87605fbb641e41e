import { HttpStatus } from '../ui/badge.tsx'
import { pretty } from '../ui/json-block.tsx'
import type { Attempt } from '@hookline/protocol'

/**
 * What "Send test" got back: status, latency, the body it sent (rendered through the webhook's
 * template, when it has one) and the endpoint's answer.
 */
export function TestResult({ attempt, templated }: { attempt: Attempt; templated: boolean }) {
  const ok = attempt.status >= 200 && attempt.status < 300
  return (
    <div class={`test-result ${ok ? 'good' : 'bad'}`} role="status">
      <div class="inline">
        <strong>{ok ? 'Test delivered' : 'Test failed'}</strong>
        <HttpStatus status={attempt.status} />
        <span class="muted">request → response {attempt.latencyMs} ms</span>
      </div>
      {attempt.error && <p class="field-error">{attempt.error}</p>}
      <details>
        <summary>{templated ? 'Sent: the body your template rendered' : 'Sent: the default body'}</summary>
        <pre class="code small" aria-label="Body sent by the test">
          {pretty(attempt.request.body)}
        </pre>
      </details>
      {attempt.responseBody && (
        <>
          <p class="muted small">Answered:</p>
          <pre class="code small" aria-label="Endpoint's answer to the test">
            {pretty(attempt.responseBody)}
          </pre>
        </>
      )}
    </div>
  )
}
