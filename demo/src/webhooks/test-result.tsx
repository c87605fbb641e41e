import { HttpStatus } from '../ui/badge.tsx'
import { pretty } from '../ui/json-block.tsx'
import type { Attempt } from '@hookline/protocol'

/** What "Send test" got back: status, latency and the endpoint's answer. */
export function TestResult({ attempt }: { attempt: Attempt }) {
  const ok = attempt.status >= 200 && attempt.status < 300
  return (
    <div class={`test-result ${ok ? 'good' : 'bad'}`} role="status">
      <div class="inline">
        <strong>{ok ? 'Test delivered' : 'Test failed'}</strong>
        <HttpStatus status={attempt.status} />
        <span class="muted">{attempt.latencyMs} ms</span>
      </div>
      {attempt.error && <p class="field-error">{attempt.error}</p>}
      {attempt.responseBody && <pre class="code small">{pretty(attempt.responseBody)}</pre>}
    </div>
  )
}
