import { isReservedName, type HooklineEvent, type OperationalData } from '@hookline/protocol'

/**
 * What an event looks like when it comes: the payload editor's preview input. For a prototype's
 * event, "checkout-completed" as the prototype fires it; for the relay's notices (`hookline.*`),
 * a pause after failures, as the relay emits it.
 */
export function sampleEvent(name = 'checkout-completed'): HooklineEvent {
  const id = 'evt_01JDSAMPLE0000000000000000'
  const ts = new Date().toISOString()
  if (isReservedName(name)) {
    const data: OperationalData = {
      webhook: { id: 'wh_01JDSAMPLE0000000000000000', name: 'Order system' },
      reason:
        '10 consecutive failed attempts; new deliveries are held until a recovery probe succeeds or it is resumed.',
      lastAttempt: null,
    }
    const operational = name.includes('*') ? 'hookline.webhook.paused' : name
    return { id, name: operational, ts, sessionId: 'ses_hookline-relay', props: { ...data } }
  }
  return {
    id,
    name,
    ts,
    sessionId: 'ses_01JDSAMPLE0000000000000000',
    screen: 'checkout',
    props: { total: 29, currency: 'USD', sku: 'MUG-01' },
    vars: { orderStatus: 'none', cartCount: 1, shipping: 'standard' },
    user: { id: 'u_ada', props: { email: 'ada@example.com', name: 'Ada' } },
  }
}
