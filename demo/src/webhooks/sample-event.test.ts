import { describe, expect, it } from 'vitest'
import { sampleEvent } from './sample-event.ts'

describe('sampleEvent', () => {
  it('previews a prototype event with its props, and the relay’s notices as the relay sends them', () => {
    expect(sampleEvent('add-to-cart')).toMatchObject({ name: 'add-to-cart', props: { total: 29 } })
    const notice = sampleEvent('hookline.*')
    expect(notice).toMatchObject({ name: 'hookline.webhook.paused', sessionId: 'ses_hookline-relay' })
    expect(notice.props).toMatchObject({ webhook: { name: 'Order system' }, lastAttempt: null })
    expect(notice).not.toHaveProperty('vars')
    expect(sampleEvent('hookline.delivery.exhausted').name).toBe('hookline.delivery.exhausted')
  })
})
