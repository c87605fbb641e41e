/** Any value that survives JSON.stringify → JSON.parse unchanged. */
export type Json = string | number | boolean | null | JsonArray | JsonObject
// Interfaces, not type literals, for the recursive parts: TypeScript expands an interface lazily,
// so the published .d.ts (valibot schemas over Json) type-check with skipLibCheck off instead of
// failing with "Type instantiation is excessively deep" (TS2589).
/** A JSON array. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface on purpose (above)
export interface JsonArray extends Array<Json> {}
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json
}

/** A user or a company attached to events by `identify`. */
export interface Identity {
  id: string
  /** At most 10. */
  props?: JsonObject
}

/** One event, as the browser sends it to the relay. */
export interface HooklineEvent {
  /** `evt_…`, made by the browser; the relay deduplicates on it. */
  id: string
  /** "checkout-completed": lowercase letters, digits and `._:-`, at most 100 characters. */
  name: string
  /** When it happened, ISO 8601. */
  ts: string
  /** `ses_…`, one per browser session; the stream uses it to find the tab. */
  sessionId: string
  screen?: string
  props?: JsonObject
  vars?: JsonObject
  user?: Identity
  company?: Identity
}

/** `POST /v1/events` body (beacons carry the same). */
export interface IngestBatch {
  sentAt: string
  events: HooklineEvent[]
  /**
   * The token of each session the batch's events belong to, from `POST /v1/sessions`. An event
   * whose session has no valid token here is rejected alone (`session_token_required`).
   */
  sessionTokens?: { [sessionId: string]: string }
}

/** `POST /v1/sessions` body: the session to claim, or none to have the relay mint one. */
export interface SessionClaim {
  id?: string
}

/** `POST /v1/sessions` answer (201): the session and the token that proves it is yours. */
export interface SessionClaimResponse {
  id: string
  /** Opaque, shown once; send it in `sessionTokens` and as the stream's `?token=`. */
  token: string
}

/** One event the relay would not take, with the reason. `id` is null when the event had none. */
export interface RejectedEvent {
  id: string | null
  error: ErrorDetail
}

/** `POST /v1/events` answer (202). */
export interface IngestResponse {
  /** Durably committed now. */
  accepted: string[]
  /** Committed earlier; sending them again was harmless. */
  duplicates: string[]
  rejected: RejectedEvent[]
  /**
   * How many webhooks each accepted or duplicate event goes to (its deliveries), by event id: the
   * browser rolls an optimistic update back once that many deliveries have finally failed.
   */
  deliveries?: Record<string, number>
}

/** The body of every relay error response. */
export interface ErrorBody {
  error: ErrorDetail
}

export interface ErrorDetail {
  /** snake_case, stable: programs branch on it. */
  code: string
  /** A sentence a person can act on. */
  message: string
  details?: { [key: string]: unknown }
}

export type Environment = 'test' | 'live'

/** The default body of an outgoing webhook (a webhook's `template` may reshape it). */
export interface WebhookEnvelope {
  id: string
  type: string
  timestamp: string
  projectId: string
  environment: Environment
  session: { id: string; screen?: string }
  data: JsonObject
  vars: JsonObject
  user?: Identity
  company?: Identity
}

/** The body sent by "send test". */
export interface WebhookTestEnvelope {
  id: string
  type: 'webhook.test'
  timestamp: string
  projectId: string
  data: { message: 'This is a test event from Hookline'; test: true }
}

/** `event: vars` — variables to set in the session. */
export interface VarsFrame {
  set: JsonObject
  source: { kind: 'inbound' | 'response' | 'optimistic'; id: string }
}

/** `event: delivery` — one delivery attempt of an event the session fired. */
export interface DeliveryFrame {
  eventId: string
  webhookId: string
  attempt: number
  /** HTTP status, or 0 when no response came (timeout, refused, network). */
  status: number
  ok: boolean
  latencyMs: number
  /** True when no further attempt will be made (delivered, or given up). */
  final?: boolean
  error?: string
}

/** `event: ack` — events the relay committed that arrived by beacon. */
export interface AckFrame {
  ids: string[]
  /** How many webhooks each event goes to, as in `IngestResponse.deliveries`. */
  deliveries?: Record<string, number>
}

/**
 * `event: config` — the project config changed (broadcast to every open session of the project).
 * `config` is the new config, as `GET /v1/config` answers it; without it (a config too large to
 * travel between relay nodes) the page fetches `GET /v1/config`.
 */
export interface ConfigFrame {
  config?: ProjectConfig
}

export type StreamFrame =
  | { event: 'vars'; id: string; data: VarsFrame }
  | { event: 'delivery'; data: DeliveryFrame }
  | { event: 'ack'; data: AckFrame }
  | { event: 'config'; data: ConfigFrame }

/** A trigger the designer attaches to an event in the project config. */
export type Trigger = { tap: string } | { screen: string } | { change: string; to?: Json }

/** One event definition of the project config. */
export interface EventDefinition {
  name: string
  trigger?: Trigger
  /** JSON Schema that the event's props should satisfy. */
  schema?: JsonObject
  /** Variables set at once when the event fires; values may hold `{{props.x}}` placeholders. */
  optimistic?: JsonObject
}

/** `GET /v1/config`, `PUT /v1/projects/:pid/config`. */
export interface ProjectConfig {
  events: EventDefinition[]
  variables: JsonObject
}
