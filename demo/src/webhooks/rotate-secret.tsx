import { useEffect, useRef, useState } from 'preact/hooks'

/**
 * "Rotate secret", asked twice: the confirmation says what happens to the old secret (it keeps
 * signing beside the new one for 24 h), so nobody rotates expecting the old one to stop at once.
 */
export function RotateSecret({ onRotate }: { onRotate: () => void }) {
  const [asking, setAsking] = useState(false)
  const confirm = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (asking) confirm.current?.focus()
  }, [asking])
  if (!asking)
    return (
      <button type="button" class="link-button" onClick={() => setAsking(true)}>
        Rotate secret
      </button>
    )
  return (
    <div class="confirm" role="group" aria-labelledby="rotate-title">
      <p id="rotate-title">
        <strong>Rotate the signing secret?</strong>
      </p>
      <p class="small">
        A new secret is made now and shown once. For 24 hours the old secret keeps signing too: each request carries
        both signatures, so your endpoint keeps verifying while you swap the new one in. After that, only the new one
        signs.
      </p>
      <span class="inline">
        <button
          ref={confirm}
          type="button"
          class="button small primary"
          onClick={() => {
            setAsking(false)
            onRotate()
          }}
        >
          Rotate now
        </button>
        <button type="button" class="button small quiet" onClick={() => setAsking(false)}>
          Keep the current secret
        </button>
      </span>
    </div>
  )
}
