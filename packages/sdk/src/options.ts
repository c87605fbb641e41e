import { LIMITS, type JsonObject } from '@hookline/protocol'
import { HooklineOptionsError } from './errors.ts'

/** Options of `createHookline`. Only `relay` and `key` are required. */
export interface HooklineOptions {
  /**
   * The relay's base URL.
   * @example 'http://127.0.0.1:8787'
   */
  relay: string
  /**
   * The project's publishable key: `pk_test_…` reaches test webhooks only, `pk_live_…` live ones.
   * @example 'pk_test_3kq…'
   */
  key: string
  /**
   * Initial values of the prototype's variables (the project config's defaults fill the rest).
   * @default {}
   * @example { plan: 'free', cartCount: 0 }
   */
  variables?: JsonObject
  /**
   * Wire the HTML attributes (`data-hl-event`, `data-hl-props`, `data-hl-screen`, `data-hl-set`,
   * `data-hl-bind`) in `root`.
   * @default true
   */
  attributes?: boolean
  /**
   * Load the project config (`GET /v1/config`): variable defaults, and events wired from the dashboard.
   * @default true
   */
  config?: boolean
  /**
   * Open the live stream (`GET /v1/stream`) for `vars`, `delivery` and `ack` frames.
   * @default true
   */
  stream?: boolean
  /**
   * Where triggers and attributes listen.
   * @default document
   */
  root?: Document
  /**
   * The most events in one request (at most 100).
   * @default 100
   */
  batchEvents?: number
  /**
   * The most bytes in one request (at most 65536).
   * @default 65536
   */
  batchBytes?: number
  /**
   * How long an event may wait for companions before its batch is sent, in ms.
   * @default 1000
   */
  flushInterval?: number
  /**
   * The queue's byte budget; beyond it the oldest events are evicted (counted and logged).
   * @default 5_000_000
   */
  budgetBytes?: number
  /**
   * `'memory'` keeps the queue in memory only (events are lost on reload). Used when IndexedDB is unavailable.
   * @default 'indexeddb'
   */
  storage?: 'indexeddb' | 'memory'
  /**
   * How many entries `hl.log` keeps.
   * @default 200
   */
  logLimit?: number
  /**
   * How long after a final failed delivery, with no successful one, optimistic updates roll back (ms).
   * @default 1500
   */
  settleMs?: number
  /**
   * Also print warnings to the console (each once).
   * @default false
   */
  debug?: boolean
}

export type NormalizedOptions = Required<Omit<HooklineOptions, 'root'>> & { root: Document | undefined }

const defaults = {
  variables: {},
  attributes: true,
  config: true,
  stream: true,
  batchEvents: LIMITS.sdkBatchEvents,
  batchBytes: LIMITS.sdkBatchBytes,
  flushInterval: 1000,
  budgetBytes: 5_000_000,
  storage: 'indexeddb',
  logLimit: 200,
  settleMs: 1500,
  debug: false,
} satisfies Omit<NormalizedOptions, 'relay' | 'key' | 'root'>

/** Validates and normalises options once, with defaults; throws `HooklineOptionsError` naming the bad one. */
export function normalizeOptions(options: HooklineOptions): NormalizedOptions {
  if (!options || typeof options !== 'object') throw new HooklineOptionsError('options', 'must be an object like { relay, key }.')
  const { relay, key } = options
  if (typeof relay !== 'string' || !/^https?:\/\/[^/]/.test(relay)) {
    throw new HooklineOptionsError('relay', `must be the relay's http(s) URL, like "http://127.0.0.1:8787" (got ${show(relay)}).`)
  }
  if (typeof key !== 'string' || !/^pk_(test|live)_\S+$/.test(key)) {
    throw new HooklineOptionsError('key', `must be a publishable key starting with "pk_test_" or "pk_live_" (got ${show(key)}).`)
  }
  const o = { ...defaults, ...stripUndefined(options) } as NormalizedOptions
  o.relay = relay.replace(/\/+$/, '')
  if (!o.variables || typeof o.variables !== 'object' || Array.isArray(o.variables)) {
    throw new HooklineOptionsError('variables', 'must be an object of variable values, like { plan: "free" }.')
  }
  int(o, 'batchEvents', 1, LIMITS.sdkBatchEvents)
  int(o, 'batchBytes', 1024, LIMITS.sdkBatchBytes)
  int(o, 'flushInterval', 0, 60_000)
  int(o, 'budgetBytes', 10_000, 1e9)
  int(o, 'logLimit', 0, 100_000)
  int(o, 'settleMs', 0, 600_000)
  if (o.storage !== 'indexeddb' && o.storage !== 'memory') throw new HooklineOptionsError('storage', 'must be "indexeddb" or "memory".')
  for (const flag of ['attributes', 'config', 'stream', 'debug'] as const) {
    if (typeof o[flag] !== 'boolean') throw new HooklineOptionsError(flag, `must be true or false (got ${show(o[flag])}).`)
  }
  o.root = options.root ?? (typeof document === 'undefined' ? undefined : document)
  return o
}

function int(o: Record<string, unknown>, name: string, min: number, max: number): void {
  const value = o[name]
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HooklineOptionsError(name, `must be a whole number from ${min} to ${max} (got ${show(value)}).`)
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {}
  for (const key in value) if (value[key] !== undefined) out[key] = value[key]
  return out
}

function show(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value) : String(JSON.stringify(value) ?? value)
  } catch {
    return String(value)
  }
}
