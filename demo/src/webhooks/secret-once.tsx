import { CopyButton } from '../ui/copy-button.tsx'

/** A signing secret the relay shows only now: displayed once, with copy, and said so plainly. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <section class="secret" aria-labelledby="secret-title">
      <h3 id="secret-title">Signing secret — copy it now</h3>
      <p class="muted">
        Your endpoint verifies each request with it (Standard Webhooks). It is shown this once; rotate it if it is lost.
      </p>
      <div class="inline">
        <code class="secret-value">{secret}</code>
        <CopyButton text={secret} label="Copy secret" />
      </div>
      <button type="button" class="button small quiet" onClick={onDone}>
        I have copied it
      </button>
    </section>
  )
}
