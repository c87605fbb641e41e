/** Limits shared by the SDK and the relay, so both sides agree on what fits. */
export const LIMITS = {
  /** Largest ingest request body the relay reads. */
  batchBytes: 512 * 1024,
  /** Most events in one ingest request. */
  batchEvents: 500,
  /** Largest single event, serialized. */
  eventBytes: 64 * 1024,
  /** Most `props` on a user or a company. */
  identityProps: 10,
  /** The SDK sends at most this many events in one request… */
  sdkBatchEvents: 100,
  /** …and at most this many bytes. */
  sdkBatchBytes: 64 * 1024,
  /** Largest inbound webhook body the relay reads. */
  inboundBytes: 256 * 1024,
} as const

/** Event names: "checkout-completed", "flows.completed". */
export const EVENT_NAME = /^[a-z0-9][a-z0-9._:-]{0,99}$/
/** Variable names: a JavaScript-like identifier of at most 64 characters. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/
