import { render } from 'preact'
import { afterEach, expect, it } from 'vitest'
import { DeliverySummary } from './delivery-summary.tsx'

const counts = { total: 0, succeeded: 0, failed: 0, pending: 0, held: 0, filtered: 0, erased: 0 }
const root = document.createElement('div')
afterEach(() => render(null, root))
const said = (deliveries: typeof counts) => {
  render(<DeliverySummary deliveries={deliveries} />, root)
  return [...root.querySelectorAll('.badge')].map((badge) => badge.textContent)
}

it('says what the relay counted: held apart from pending, each once', () => {
  expect(said({ ...counts, total: 4, succeeded: 1, pending: 1, held: 2 })).toEqual([
    '1 delivered',
    '2 held',
    '1 pending',
  ])
  expect(said({ ...counts, total: 1, held: 1 })).toEqual(['1 held'])
  expect(said(counts)).toEqual(['no webhook'])
})
