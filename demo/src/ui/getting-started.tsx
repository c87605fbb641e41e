import { useState } from 'preact/hooks'
import { openPrototype, PROTOTYPE_URL } from '../prototype-window.ts'
import { href } from '../route.ts'

const DISMISSED = 'hookline-demo:getting-started-dismissed'

/** The round trip in three steps, for a designer's first minute; dismissed once, remembered. */
export function GettingStarted() {
  const [hidden, setHidden] = useState(() => localStorage.getItem(DISMISSED) === '1')
  if (hidden) return null
  return (
    <section class="card start" aria-labelledby="start-title">
      <div class="card-head">
        <h2 id="start-title">Try the round trip</h2>
        <button
          type="button"
          class="button small quiet"
          onClick={() => {
            localStorage.setItem(DISMISSED, '1')
            setHidden(true)
          }}
        >
          Dismiss
        </button>
      </div>
      <ol class="steps">
        <li>
          <a href={PROTOTYPE_URL} target="hookline-prototype" onClick={openPrototype}>
            Open the prototype
          </a>
          , add the mug to the cart and pay.
        </li>
        <li>
          Watch the order status change on its own: the mock fulfillment service answers the webhook, then calls back
          through a listener.
        </li>
        <li>
          See every step in the prototype's event log (<span class="keys-only">Alt+Shift+H</span>
          <span class="touch-only">the Hookline button in its corner</span>) and in the{' '}
          <a href={href('webhooks')}>webhook's delivery log</a>.
        </li>
      </ol>
    </section>
  )
}
