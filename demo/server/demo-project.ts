import type { ProjectConfig } from '@hookline/protocol'

/** The demo project's name; the seed finds the project again by its saved id. */
export const DEMO_PROJECT_NAME = 'Checkout prototype (demo)'

/**
 * The events and variables the checkout prototype starts with. Taps on the add and pay buttons
 * are wired in the prototype's HTML; screens and the shipping choice are wired here, as a designer
 * would from the dashboard.
 */
export const DEMO_CONFIG: ProjectConfig = {
  events: [
    { name: 'product-viewed', trigger: { screen: 'product' } },
    {
      name: 'add-to-cart',
      schema: {
        type: 'object',
        required: ['sku', 'price'],
        properties: { sku: { type: 'string' }, price: { type: 'number' } },
      },
    },
    { name: 'checkout-started', trigger: { screen: 'checkout' } },
    { name: 'shipping-chosen', trigger: { change: 'shipping' } },
    {
      name: 'checkout-completed',
      schema: {
        type: 'object',
        required: ['total'],
        properties: { total: { type: 'number' }, currency: { type: 'string' } },
      },
      optimistic: { orderStatus: 'pending' },
    },
  ],
  variables: { orderStatus: 'none', cartCount: 0, shipping: 'standard' },
}

/** The mock fulfillment service's answer `{"status":"pending"}` becomes the prototype's orderStatus. */
export const DEMO_RESPONSE_MAPPING = { set: { orderStatus: '$.status' } }

/** The mock's callbacks `{"session":"ses_…","order":{"status":"shipped"}}` update that session. */
export const DEMO_LISTENER = {
  name: 'Fulfillment updates',
  set: { orderStatus: '$.order.status' },
  target: { session: '$.session' },
}
