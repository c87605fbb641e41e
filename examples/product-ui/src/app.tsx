import { useState } from 'react'
import { useVar } from '@hookline/sdk/react'
import { hl } from './hookline.ts'

export function App() {
  const orderStatus = useVar(hl, 'orderStatus')
  const [lastEvent, setLastEvent] = useState<string | null>(null)
  return (
    <main>
      <h1>Checkout</h1>
      <button id="add" type="button">
        Add to cart
      </button>
      <button
        id="pay"
        type="button"
        onClick={() => {
          setLastEvent(hl.track('checkout-completed', { total: 42 }))
        }}
      >
        Pay
      </button>
      <button id="devtools" type="button" onClick={() => void hl.devtools()}>
        Event log
      </button>
      <p>
        Order: <span id="status">{typeof orderStatus === 'string' ? orderStatus : 'none'}</span>
      </p>
      {lastEvent && <p id="last-event">{lastEvent}</p>}
    </main>
  )
}
