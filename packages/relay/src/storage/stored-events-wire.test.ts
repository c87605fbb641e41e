import { describe, expect, it } from 'vitest'
import type { StoredEvent } from './stored-event.ts'
import { packEvents, unpackEvents } from './stored-events-wire.ts'

const event = (id: string, fanOut: number): StoredEvent => ({
  row: {
    project_id: 'prj_1',
    id,
    name: 'signup',
    environment: 'live',
    session_id: 'ses_1',
    ts: '2026-12-02T00:00:00.000Z',
    received_at: 1,
    valid: 1,
    body: JSON.stringify({ id }),
  },
  deliveries: Array.from({ length: fanOut }, (_, n) => ({
    id: `dlv_${id}_${n}`,
    project_id: 'prj_1',
    webhook_id: `whk_${n}`,
    event_id: id,
    event_environment: 'live',
    msg_id: `msg_${n}`,
    kind: 'event',
    session_id: 'ses_1',
    status: n === 0 ? 'pending' : 'filtered',
    attempts: 0,
    next_attempt_at: 1,
    created_at: 1,
    updated_at: 1,
    event_received_at: 1,
    finished_at: null,
    last_status: null,
    last_error: null,
    latency_ms: null,
    body: '{}',
    lane_key: n === 1 ? undefined : 'lane',
    out_of_order: 0,
  })) as unknown as StoredEvent['deliveries'],
})

describe('the rows sent to the SQLite worker', () => {
  it('come back as the same events, each with its own deliveries in order, undefined kept', () => {
    const events = [event('evt_a', 0), event('evt_b', 3), event('evt_c', 1)]
    const back = unpackEvents(structuredClone(packEvents(events)))
    expect(back).toStrictEqual(events)
    expect(back[1]!.deliveries.map((d) => d.id)).toEqual(['dlv_evt_b_0', 'dlv_evt_b_1', 'dlv_evt_b_2'])
  })
})
