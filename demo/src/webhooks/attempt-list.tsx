import { HttpStatus } from '../ui/badge.tsx'
import { pretty } from '../ui/json-block.tsx'
import { timeAgo } from '../ui/time-ago.ts'
import type { Attempt } from '@hookline/protocol'

/** Every attempt of one delivery: status code, latency, error and the response body. */
export function AttemptList({ attempts }: { attempts: readonly Attempt[] }) {
  if (!attempts.length) return <p class="muted small">No attempt yet.</p>
  return (
    <ol class="attempts">
      {attempts.map((attempt, index) => (
        <li key={index}>
          <div class="inline">
            <span class="muted">Attempt {attempt.attempt}</span>
            <HttpStatus status={attempt.status} />
            <span class="muted">request → response {attempt.latencyMs} ms</span>
            <span class="muted small">{timeAgo(attempt.startedAt)}</span>
          </div>
          {attempt.error && <p class="field-error">{attempt.error}</p>}
          <details>
            <summary>Response body</summary>
            <pre class="code small">{pretty(attempt.responseBody ?? '')}</pre>
          </details>
          <details>
            <summary>Request body</summary>
            <pre class="code small">{pretty(attempt.request.body)}</pre>
          </details>
        </li>
      ))}
    </ol>
  )
}
