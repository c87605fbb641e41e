import type { DeliveriesTable, EventsTable } from './schema.ts'
import { DELIVERY_COLUMNS, EVENT_COLUMNS, type StoredEvent } from './stored-event.ts'

/**
 * `insertEvents`' rows as they travel to the SQLite worker: flat lists of column values instead of
 * an object per row. Structured clone writes every object's keys again; a flat list of primitives
 * costs it about a third as much (0.8 µs an event against 2.7, both sides of the copy). Every
 * column goes as it is, `undefined` included, so the worker rebuilds the very rows it would have got.
 */
export interface PackedEvents {
  events: unknown[]
  /** How many deliveries each event fans out to, in order. */
  fanOut: number[]
  deliveries: unknown[]
}

export function packEvents(stored: StoredEvent[]): PackedEvents {
  const events: unknown[] = []
  const fanOut: number[] = []
  const deliveries: unknown[] = []
  for (const { row, deliveries: rows } of stored) {
    for (const column of EVENT_COLUMNS) events.push(row[column])
    fanOut.push(rows.length)
    for (const delivery of rows) for (const column of DELIVERY_COLUMNS) deliveries.push(delivery[column])
  }
  return { events, fanOut, deliveries }
}

export function unpackEvents({ events, fanOut, deliveries }: PackedEvents): StoredEvent[] {
  const stored: StoredEvent[] = []
  let d = 0
  fanOut.forEach((count, e) => {
    const rows: DeliveriesTable[] = []
    for (let n = 0; n < count; n++) rows.push(rowOf<DeliveriesTable>(DELIVERY_COLUMNS, deliveries, d++))
    stored.push({ row: rowOf<EventsTable>(EVENT_COLUMNS, events, e), deliveries: rows })
  })
  return stored
}

function rowOf<Row>(columns: readonly (keyof Row & string)[], values: unknown[], index: number): Row {
  const row: Record<string, unknown> = {}
  const start = index * columns.length
  columns.forEach((column, c) => (row[column] = values[start + c]))
  return row as Row
}
