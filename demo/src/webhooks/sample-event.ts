import type { HooklineEvent } from '@hookline/protocol'

/** What "checkout-completed" looks like when the prototype fires it: the payload editor's preview input. */
export function sampleEvent(name = 'checkout-completed'): HooklineEvent {
  return {
    id: 'evt_01JDSAMPLE0000000000000000',
    name,
    ts: new Date().toISOString(),
    sessionId: 'ses_01JDSAMPLE0000000000000000',
    screen: 'checkout',
    props: { total: 29, currency: 'USD', sku: 'MUG-01' },
    vars: { orderStatus: 'none', cartCount: 1, shipping: 'standard' },
    user: { id: 'u_ada', props: { email: 'ada@example.com', name: 'Ada' } },
  }
}
