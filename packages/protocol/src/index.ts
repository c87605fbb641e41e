/**
 * @module
 * Hookline's shared contract: the wire types of docs/, their validators, Standard Webhooks
 * signing, ids, and the JSON path and template helpers that the relay and the dashboard share.
 * No Node-only or DOM-only code: it runs in browsers and Node 20 alike.
 */
export { newId, isId, idTime } from './ids.ts'
export type { IdPrefix } from './ids.ts'
export { LIMITS, EVENT_NAME, VARIABLE_NAME } from './limits.ts'
export {
  validateEvent,
  validateBatch,
  validateProjectConfig,
  validateSessionClaim,
  run,
  isJson,
  isPlainObject,
  EventSchema,
  BatchSchema,
  ProjectConfigSchema,
  SessionClaimSchema,
  SESSION_ID,
  SESSION_TOKEN,
} from './validate.ts'
export type { Problem, Validation } from './validate.ts'
export { generateSecret, isSecret, sign, verify } from './signing.ts'
export type { HeaderSource, SignedHeaders, VerifyFailure, VerifyOptions, VerifyResult } from './signing.ts'
export { bytesToBase64, base64ToBytes } from './base64.ts'
export { parseJsonPath, readJsonPath, readDotted } from './jsonpath.ts'
export type { PathSegment } from './jsonpath.ts'
export { renderTemplate, templatePlaceholders } from './template.ts'
export { matchesEvent, EVENT_PATTERN } from './patterns.ts'
export { RESERVED_PREFIX, OPERATIONAL_EVENTS, isReservedName } from './operational.ts'
export type { OperationalEventName, OperationalData, LastAttemptSummary } from './operational.ts'
export { compileFilter, FILTER_OPERATORS } from './filter.ts'
export type { WebhookFilter, FilterTest } from './filter.ts'
export { toEnvelope, testEnvelope, templateContext } from './envelope.ts'
export {
  ProjectCreateSchema,
  ProjectPatchSchema,
  ProjectSchema,
  ProjectCreatedSchema,
  ProjectListSchema,
  ProjectAnswerSchema,
  KeyRotateSchema,
  KeyRotatedSchema,
  KEY_GRACE_MAX_SECONDS,
} from './api/projects.ts'
export type {
  ProjectCreate,
  ProjectPatch,
  Project,
  ProjectCreated,
  ProjectList,
  ProjectAnswer,
  KeyRotate,
  KeyRotated,
} from './api/projects.ts'
export {
  WebhookCreateSchema,
  WebhookPatchSchema,
  WebhookTestSchema,
  WebhookSchema,
  WebhookCreatedSchema,
  WebhookListSchema,
  WebhookAnswerSchema,
  SecretRotatedSchema,
  WebhookReplaySchema,
  WebhookReplayedSchema,
} from './api/webhooks.ts'
export { WEBHOOK_TIMEOUT_MS, WEBHOOK_RETRY } from './api/webhook-delivery-limits.ts'
export type {
  WebhookCreate,
  WebhookPatch,
  WebhookTest,
  WebhookReplay,
  WebhookReplayed,
  Webhook,
  WebhookCreated,
  WebhookList,
  WebhookAnswer,
  SecretRotated,
  WebhookStatus,
} from './api/webhooks.ts'
export {
  ListenerCreateSchema,
  ListenerPatchSchema,
  ListenerSchema,
  ListenerCreatedSchema,
  ListenerListSchema,
  ListenerAnswerSchema,
} from './api/listeners.ts'
export type {
  ListenerCreate,
  ListenerPatch,
  ListenerTarget,
  Listener,
  ListenerCreated,
  ListenerList,
  ListenerAnswer,
} from './api/listeners.ts'
export {
  DeliverySchema,
  DeliveryStatusSchema,
  AttemptSchema,
  DeliveryDetailSchema,
  DeliveryAnswerSchema,
  DeliveryListSchema,
} from './api/deliveries.ts'
export type { Delivery, Attempt, DeliveryDetail, DeliveryAnswer, DeliveryList } from './api/deliveries.ts'
export { EventLogEntrySchema, EventLogSchema } from './api/event-log.ts'
export { ErasureSchema } from './api/erasure.ts'
export type { Erasure } from './api/erasure.ts'
export type { EventLogEntry, EventLog } from './api/event-log.ts'
export { StatsSchema, StatsWindowSchema } from './api/stats.ts'
export type { Stats, StatsWindow } from './api/stats.ts'
export {
  ErrorBodySchema,
  IngestAnswerSchema,
  SessionClaimAnswerSchema,
  ConfigAnswerSchema,
  InboundAcceptedSchema,
  InboundDuplicateSchema,
} from './api/answers.ts'
export type { ConfigAnswer } from './api/answers.ts'
export type {
  Json,
  JsonArray,
  JsonObject,
  Identity,
  HooklineEvent,
  IngestBatch,
  IngestResponse,
  SessionClaim,
  SessionClaimResponse,
  RejectedEvent,
  ErrorBody,
  ErrorDetail,
  Environment,
  WebhookEnvelope,
  WebhookTestEnvelope,
  VarsFrame,
  DeliveryFrame,
  AckFrame,
  ConfigFrame,
  StreamFrame,
  Trigger,
  EventDefinition,
  ProjectConfig,
} from './types.ts'
