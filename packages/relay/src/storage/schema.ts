/**
 * The relay's tables as Kysely sees them, every one (the DDL is in `migrations/`). Portable types
 * only, so SQLite and PostgreSQL share every query: times are integer milliseconds, JSON is text,
 * booleans are 0/1 integers.
 */
export interface Database {
  projects: ProjectsTable
  keys: KeysTable
  webhooks: WebhooksTable
  events: EventsTable
  deliveries: DeliveriesTable
  attempts: AttemptsTable
  listeners: ListenersTable
  inbound_receipts: InboundReceiptsTable
  stream_frames: StreamFramesTable
  stream_cursor: StreamCursorTable
  sessions: SessionsTable
  relay_nodes: RelayNodesTable
  delivery_queue: DeliveryQueueTable
}

export interface ProjectsTable {
  id: string
  name: string
  /** JSON array of origins. */
  allowed_origins: string
  /** JSON ProjectConfig. */
  config: string
  created_at: number
  updated_at: number
}

/** Publishable keys, stored as SHA-256 hashes; `hint` is the first characters, for display. */
export interface KeysTable {
  hash: string
  project_id: string
  environment: 'test' | 'live'
  hint: string
  created_at: number
  /** When a rotated-out key stops working (ms), or null while it is the environment's current key (since `0062`). */
  expires_at: number | null
}

export type WebhookStatus = 'active' | 'paused' | 'disabled'

export interface WebhooksTable {
  id: string
  project_id: string
  name: string
  url: string
  /** JSON array of event patterns. */
  events: string
  environment: 'test' | 'live'
  /** JSON template, or null for the default envelope. */
  template: string | null
  timeout_ms: number
  max_attempts: number
  /** JSON array of delays (ms) after each failed attempt, or null for the default schedule. */
  schedule_ms: string | null
  /** JSON `{ set: { varName: "$.path" } }`, or null. */
  response: string | null
  status: WebhookStatus
  status_reason: string | null
  consecutive_failures: number
  secret: string
  previous_secret: string | null
  previous_secret_expires_at: number | null
  /** JSON query over the outgoing envelope (sift), or null: every subscribed event goes. */
  filter: string | null
  /** JSON: null for the default recovery probing, `false` for none, or `{"scheduleMs":[…]}`. */
  auto_resume: string | null
  /** Who paused it: 'hand' (never probed) or 'failures' (probed); null unless paused. */
  paused_by: string | null
  /** When the next recovery probe of a paused webhook is due, or null. */
  next_probe_at: number | null
  /** Probes tried since it was paused (the index into the probe schedule). */
  probe_step: number
  /** `none`, or `session`: one delivery of a (webhook, session) lane at a time, in event order. */
  ordering: 'none' | 'session'
  /**
   * Set while what was held drains in order (`drains.ts`): the deliveries made up to this time go
   * one at a time, oldest first, on every node. Null otherwise.
   */
  drain_until: number | null
  created_at: number
  updated_at: number
}

export interface EventsTable {
  project_id: string
  id: string
  name: string
  environment: 'test' | 'live'
  session_id: string
  /** The event's own time (client clock), ISO 8601. */
  ts: string
  received_at: number
  /** 1 when the props satisfy the project's schema for the event (or there is none). */
  valid: number
  /** The event as received, JSON. */
  body: string
}

/**
 * As shown; stored are `pending`, `succeeded`, `failed`, `filtered` (the webhook's filter left the event out,
 * never sent) and `erased` (cancelled by an erasure): `sending` is a claimed queue row (since `0071`).
 */
export type DeliveryStatus = 'pending' | 'sending' | 'succeeded' | 'failed' | 'filtered' | 'erased'

export interface DeliveriesTable {
  id: string
  project_id: string
  webhook_id: string
  event_id: string
  /**
   * The event's environment (its webhook's when the delivery was made): with `event_id`, which event
   * it carries, since an id is unique per environment only (`0066`). Null for test sends.
   */
  event_environment: 'test' | 'live' | null
  /** `webhook-id` header: the same on every attempt of this delivery. */
  msg_id: string
  kind: 'event' | 'test'
  session_id: string | null
  status: DeliveryStatus
  attempts: number
  next_attempt_at: number
  created_at: number
  updated_at: number
  /** When the event happened (its `ts`, or its receipt when the browser's clock is off): latency starts here. */
  event_received_at: number
  finished_at: number | null
  last_status: number | null
  last_error: string | null
  /** Event time → endpoint 2xx, ms. */
  latency_ms: number | null
  /**
   * The body sent, stored once per message: a test send's from the start, an event delivery's from
   * its first attempt on (each attempt renders it afresh; an attempt that sent other bytes, after
   * a template change, keeps them in its own row).
   */
  body: string | null
  /** Its place in its session's lane (`laneKey`: event time, then id) when the webhook orders by session; else null. */
  lane_key: string | null
  /** 1 once its lane moved on without it (its retries ran out): later events of its session went ahead. */
  out_of_order: number
}

export interface AttemptsTable {
  id: string
  delivery_id: string
  project_id: string
  webhook_id: string
  attempt: number
  started_at: number
  latency_ms: number
  /** JSON record. */
  request_headers: string
  /** '' when it is the delivery's `body` (stored once per message); the bytes sent otherwise. */
  request_body: string
  /** 0 when no response came. */
  response_status: number
  response_headers: string | null
  /** The first 16 KiB. */
  response_body: string | null
  error: string | null
}

export interface ListenersTable {
  id: string
  project_id: string
  name: string
  secret: string
  /** JSON `{ varName: "$.path" }`. */
  set_paths: string
  /** JSON ListenerTarget. */
  target: string
  verify: number
  /** Whose sessions its webhooks reach: test or live, never both (since `0065`). */
  environment: 'test' | 'live'
  created_at: number
  updated_at: number
}

/** `webhook-id`s already taken, per listener: a replay finds its receipt and has no second effect. */
export interface InboundReceiptsTable {
  listener_id: string
  webhook_id: string
  received_at: number
}

/** Replayable `vars` frames; `session_id` is null for a broadcast to the whole project. */
export interface StreamFramesTable {
  seq: number
  project_id: string
  session_id: string | null
  /** The environment whose sessions the frame is for; null for frames stored before `0065` (any). */
  environment: 'test' | 'live' | null
  /** JSON VarsFrame. */
  data: string
  created_at: number
}

/** One row holding the last frame number handed out. */
export interface StreamCursorTable {
  id: number
  seq: number
}

/** Claimed sessions: bound to one project and environment by their first claim; the token is kept hashed. */
export interface SessionsTable {
  project_id: string
  id: string
  environment: 'test' | 'live'
  /** SHA-256 of the session token, hex. */
  token_hash: string
  created_at: number
}

/**
 * A relay node's lease (PostgreSQL): renewed every `RENEW_MS`; a `sending` delivery claimed by a node
 * whose lease ran out (it died, or could not reach the database) is due again for every node.
 */
export interface RelayNodesTable {
  id: string
  /** Database clock, ms. */
  lease_until: number
  started_at: number
  /** Where the node runs, for operators reading the table. */
  host: string
  pid: number
}

/**
 * One row per unfinished delivery: what a claim reads and writes, nothing more. `claimed_by` is
 * null while it waits, and the claiming node's id while an attempt is under way ("sending").
 */
export interface DeliveryQueueTable {
  delivery_id: string
  webhook_id: string
  next_attempt_at: number
  claimed_by: string | null
  /** The session whose lane it waits in (an ordered webhook's event delivery), or null: unordered. */
  lane: string | null
  /** Its place in the lane (`deliveries.lane_key`); null when `lane` is. */
  lane_key: string | null
}
