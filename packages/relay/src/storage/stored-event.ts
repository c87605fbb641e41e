import type { DeliveriesTable, EventsTable } from './schema.ts'
import { columnsOf } from './sqlite-raw.ts'

/** One event ready to store, with the deliveries it fans out to. */
export interface StoredEvent {
  row: EventsTable
  deliveries: DeliveriesTable[]
}

/** The columns `insertEvents` writes, in the order its statements bind them and the worker unpacks them. */
export const EVENT_COLUMNS = columnsOf<EventsTable>({
  project_id: true,
  id: true,
  name: true,
  environment: true,
  session_id: true,
  ts: true,
  received_at: true,
  valid: true,
  body: true,
})
export const DELIVERY_COLUMNS = columnsOf<DeliveriesTable>({
  id: true,
  project_id: true,
  webhook_id: true,
  event_id: true,
  event_environment: true,
  msg_id: true,
  kind: true,
  session_id: true,
  status: true,
  attempts: true,
  next_attempt_at: true,
  created_at: true,
  updated_at: true,
  event_received_at: true,
  finished_at: true,
  last_status: true,
  last_error: true,
  latency_ms: true,
  body: true,
  lane_key: true,
  out_of_order: true,
})
